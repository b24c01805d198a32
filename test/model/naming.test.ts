// Tool names over 64 characters, shortened by the rules in src/model/naming.ts: the API prefix is never
// shortened; repeated words go first, then known abbreviations, filler words and whole middle words; letters
// are cut off words (and a hash added) only as a last resort. Twenty of the longest names from the documents
// in specs/, and four of the shapes real SDK documents have (Stripe, Mistral).
import { describe, expect, it } from "vitest";
import { ABBREVIATIONS, shortenName } from "../../src/model/naming.js";

const rows: [string, string, string][] = [
  ["box_platform_put_metadata_templates_enterprise_security_classification_6_vm_vochw_u_wo_schema_update","box_platform","box_platform_put_meta_tmpls_ent_sec_class_6_vm_vochw_u_wo_update"],
  ["box_platform_put_metadata_templates_enterprise_security_classification_6_vm_vochw_u_wo_schema_add","box_platform","box_platform_put_meta_tmpls_ent_sec_class_6_vm_vochw_u_wo_add"],
  ["box_platform_get_metadata_templates_enterprise_security_classification_6_vm_vochw_u_wo_schema","box_platform","box_platform_get_meta_tmpls_ent_sec_class_6_vm_vochw_u_wo_schema"],
  ["box_platform_delete_folders_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_delete_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_delete_files_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_delete_files_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_post_folders_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_post_folders_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_get_folders_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_get_folders_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_put_folders_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_put_folders_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_post_files_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_post_files_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_get_files_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_get_files_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["box_platform_put_files_id_metadata_enterprise_security_classification_6_vm_vochw_u_wo","box_platform","box_platform_put_files_id_meta_ent_sec_class_6_vm_vochw_u_wo"],
  ["blockfrost_io_documentation_get_governance_proposals_tx_hash_cert_index_withdrawals","blockfrost_io_documentation","blockfrost_io_documentation_get_gov_tx_hash_cert_withdrawals"],
  ["blockfrost_io_documentation_get_governance_proposals_tx_hash_cert_index_parameters","blockfrost_io_documentation","blockfrost_io_documentation_get_gov_tx_hash_cert_index_params"],
  ["blockfrost_io_documentation_get_governance_proposals_tx_hash_cert_index_metadata","blockfrost_io_documentation","blockfrost_io_documentation_get_gov_tx_hash_cert_index_meta"],
  ["blockfrost_io_documentation_get_governance_proposals_gov_action_id_withdrawals","blockfrost_io_documentation","blockfrost_io_documentation_get_gov_action_id_withdrawals"],
  ["box_platform_get_retention_policy_assignments_id_file_versions_under_retention","box_platform","box_platform_get_ret_policy_assigns_id_file_versions_under"],
  ["blockfrost_io_documentation_get_governance_proposals_tx_hash_cert_index_votes","blockfrost_io_documentation","blockfrost_io_documentation_get_gov_tx_hash_cert_index_votes"],
  ["blockfrost_io_documentation_get_governance_proposals_gov_action_id_parameters","blockfrost_io_documentation","blockfrost_io_documentation_get_proposals_gov_action_id_params"],
  ["blockfrost_io_documentation_get_governance_proposals_gov_action_id_metadata","blockfrost_io_documentation","blockfrost_io_documentation_get_proposals_gov_action_id_meta"],
  ["blockfrost_io_documentation_get_blocks_epoch_epoch_number_slot_slot_number","blockfrost_io_documentation","blockfrost_io_documentation_get_blocks_epoch_number_slot"],
  ["stripe_post_test_helpers_terminal_readers_reader_present_payment_method","stripe","stripe_post_test_helpers_readers_reader_present_payment_method"],
  ["stripe_get_customers_customer_payment_methods_configurations_details_for_an_account_with_extra","stripe","stripe_get_custs_cust_payment_methods_details_acct_extra"],
  ["mistralai_agents_api_v1_conversations_restart_stream_completions_append_messages","mistralai","mistralai_agents_api_v1_restart_stream_completions_append_msgs"],
  ["acme_get_transactions_transaction_id_transactions_transaction_refunds_list","acme","acme_get_transactions_transaction_id_refunds_list"],
];

describe("long tool names", () => {
  it.each(rows)("%s", (given, prefix, want) => {
    const got = shortenName(given, 64, prefix);
    expect(got).toBe(want);
    expect(got.length).toBeLessThanOrEqual(64);
    expect(got.startsWith(`${prefix}_`)).toBe(true);
    // Every word is one of the name's own words, whole or by the abbreviation table: no cut fragments, no hash.
    const words = new Set(given.split("_"));
    for (const w of got.slice(prefix.length + 1).split("_")) expect(words.has(w) || [...words].some((x) => ABBREVIATIONS[x] === w), `${w} in ${got}`).toBe(true);
  });

  it("removes a repeated word before anything else, and keeps the prefix whole", () => {
    expect(shortenName("svc_list_widgets_widgets_widgets_for_the_very_long_account_holder_name_here", 64, "svc")).toBe("svc_list_widgets_for_the_very_long_account_holder_name_here");
  });

  it("cuts letters off a word only when dropping whole words cannot make it fit", () => {
    const word = "supercalifragilistic".repeat(4);
    expect(shortenName(`svc_get_${word}`, 64, "svc")).toBe(`svc_get_${word.slice(0, 56)}`);
    expect(shortenName(`svc_get_other_${word}`, 64, "svc")).toBe(`svc_get_${word.slice(0, 56)}`);
  });
});
