// Search quality: queries a model would type (`model`) and questions a person would ask (`person`), each with
// the tools that answer it. Written by hand from the shared documents' operations; kept here so the set only
// grows. Measured in bench/ (top-1 and top-5) and guarded in test/surfaces/search-quality.test.ts.

export interface SearchCase {
  query: string;
  style: "model" | "person";
  /** Any of these in the results counts as a hit. */
  answers: string[];
}

export const SEARCH_CASES: Record<string, SearchCase[]> = {
  box: [
    { query: "list folder items", style: "model", answers: ["box_list_folder_items"] },
    { query: "what's in my Documents folder", style: "person", answers: ["box_list_folder_items"] },
    { query: "upload file", style: "model", answers: ["box_create_files_content"] },
    { query: "put this PDF into my Box", style: "person", answers: ["box_create_files_content"] },
    { query: "delete folder", style: "model", answers: ["box_delete_folder"] },
    { query: "get rid of the old folder", style: "person", answers: ["box_delete_folder", "box_delete_folder_trash"] },
    { query: "download file content", style: "model", answers: ["box_get_file_content"] },
    { query: "I need a copy of the contract file on my computer", style: "person", answers: ["box_get_file_content"] },
    { query: "search content", style: "model", answers: ["box_get_search"] },
    { query: "find the spreadsheet about the budget", style: "person", answers: ["box_get_search"] },
    { query: "create webhook", style: "model", answers: ["box_create_webhook"] },
    { query: "notify my server when files change", style: "person", answers: ["box_create_webhook"] },
    { query: "get current user", style: "model", answers: ["box_get_users_me"] },
    { query: "who am I logged in as", style: "person", answers: ["box_get_users_me"] },
    { query: "add shared link to file", style: "model", answers: ["box_add_shared_link_file"] },
    { query: "share the report with a link", style: "person", answers: ["box_add_shared_link_file", "box_web_links_shared_items"] },
    { query: "list group members", style: "model", answers: ["box_list_group_memberships"] },
    { query: "who is in the marketing group", style: "person", answers: ["box_list_group_memberships"] },
    { query: "create comment", style: "model", answers: ["box_create_comment"] },
    { query: "leave a note on the design file", style: "person", answers: ["box_create_comment"] },
  ],
  twilio_verify_v2: [
    { query: "create verification", style: "model", answers: ["twilio_verify_v2_create_verification"] },
    { query: "send a one-time code to a phone number", style: "person", answers: ["twilio_verify_v2_create_verification"] },
    { query: "check verification code", style: "model", answers: ["twilio_verify_v2_create_verification_check"] },
    { query: "is the code the user typed correct", style: "person", answers: ["twilio_verify_v2_create_verification_check"] },
    { query: "list verification services", style: "model", answers: ["twilio_verify_v2_list_service"] },
    { query: "which verify services do I have", style: "person", answers: ["twilio_verify_v2_list_service"] },
    { query: "add phone number to safelist", style: "model", answers: ["twilio_verify_v2_create_safelist"] },
    { query: "never block this phone number", style: "person", answers: ["twilio_verify_v2_create_safelist"] },
    { query: "delete rate limit", style: "model", answers: ["twilio_verify_v2_delete_rate_limit"] },
    { query: "remove the throttling rule", style: "person", answers: ["twilio_verify_v2_delete_rate_limit", "twilio_verify_v2_delete_bucket"] },
    { query: "list verification attempts", style: "model", answers: ["twilio_verify_v2_list_verification_attempt"] },
    { query: "how many people tried to verify this month", style: "person", answers: ["twilio_verify_v2_list_verification_attempt", "twilio_verify_v2_fetch_verification_attempts_summary"] },
    { query: "create webhook for service", style: "model", answers: ["twilio_verify_v2_create_webhook"] },
    { query: "call my endpoint when a verification completes", style: "person", answers: ["twilio_verify_v2_create_webhook"] },
  ],
  blockfrost: [
    { query: "latest block", style: "model", answers: ["blockfrost_get_blocks_latest"] },
    { query: "what is the newest block on the chain", style: "person", answers: ["blockfrost_get_blocks_latest"] },
    { query: "address transactions", style: "model", answers: ["blockfrost_list_address_transactions", "blockfrost_list_address_txs"] },
    { query: "show me every transaction of this wallet address", style: "person", answers: ["blockfrost_list_address_transactions", "blockfrost_list_address_txs"] },
    { query: "account rewards history", style: "model", answers: ["blockfrost_list_account_rewards"] },
    { query: "how much staking reward did I earn", style: "person", answers: ["blockfrost_list_account_rewards"] },
    { query: "asset details", style: "model", answers: ["blockfrost_get_asset"] },
    { query: "tell me about this token", style: "person", answers: ["blockfrost_get_asset"] },
    { query: "latest epoch protocol parameters", style: "model", answers: ["blockfrost_list_epochs_latest_parameters"] },
    { query: "what are the current network fees and parameters", style: "person", answers: ["blockfrost_list_epochs_latest_parameters", "blockfrost_list_epoch_parameters"] },
    { query: "mempool transactions", style: "model", answers: ["blockfrost_get_mempool"] },
    { query: "which transactions are still pending", style: "person", answers: ["blockfrost_get_mempool", "blockfrost_get_mempool_hash"] },
    { query: "list dreps", style: "model", answers: ["blockfrost_list_governance_dreps"] },
    { query: "who are the delegate representatives", style: "person", answers: ["blockfrost_list_governance_dreps"] },
    { query: "backend health", style: "model", answers: ["blockfrost_get_health"] },
    { query: "is the blockfrost service up", style: "person", answers: ["blockfrost_get_health"] },
  ],
  figma: [
    { query: "get file comments", style: "model", answers: ["figma_get_comments"] },
    { query: "what did people say about my design", style: "person", answers: ["figma_get_comments"] },
    { query: "post comment", style: "model", answers: ["figma_post_comment"] },
    { query: "tell the designer the logo is too big", style: "person", answers: ["figma_post_comment"] },
    { query: "render images of nodes", style: "model", answers: ["figma_get_image"] },
    { query: "export this frame as a PNG", style: "person", answers: ["figma_get_image"] },
    { query: "file versions", style: "model", answers: ["figma_get_file_versions"] },
    { query: "what changed in this file over time", style: "person", answers: ["figma_get_file_versions"] },
    { query: "team components", style: "model", answers: ["figma_get_team_components"] },
    { query: "which components does our team library have", style: "person", answers: ["figma_get_team_components"] },
    { query: "create webhook", style: "model", answers: ["figma_post_webhook"] },
    { query: "ping my server whenever the file is updated", style: "person", answers: ["figma_post_webhook"] },
    { query: "local variables", style: "model", answers: ["figma_get_local_variables"] },
    { query: "what design tokens are defined in this file", style: "person", answers: ["figma_get_local_variables", "figma_get_published_variables"] },
    { query: "get current user", style: "model", answers: ["figma_get_me"] },
    { query: "which account am I using", style: "person", answers: ["figma_get_me"] },
  ],
};
