// Where a request may go. A document can name (or default a server variable to) a cloud metadata service or
// a private address; requests there with the API's credentials are SSRF. The generator warns about such
// servers; the runtime refuses link-local and metadata targets unless the user's own `base_url` names them.
import { isIP } from "node:net";

export type AddressKind = "metadata" | "link-local" | "private" | "loopback";

// Hostnames cloud providers answer metadata requests on.
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com"]);

function ipv4Kind(ip: string): AddressKind | undefined {
  const [a, b] = ip.split(".").map(Number) as [number, number, number, number];
  if (ip === "169.254.169.254" || ip === "100.100.100.200") return "metadata"; // AWS/GCP/Azure, Alibaba
  if (a === 169 && b === 254) return "link-local";
  if (a === 127) return "loopback";
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || a === 0) return "private";
  return undefined;
}

/** What kind of special address a URL's host is, if any (literal addresses and known metadata names). */
export function addressKind(host: string): AddressKind | undefined {
  const h = host.toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
  if (METADATA_HOSTS.has(h)) return "metadata";
  if (h === "localhost" || h.endsWith(".localhost")) return "loopback";
  const v = isIP(h);
  if (v === 4) return ipv4Kind(h);
  if (v !== 6) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h)?.[1];
  if (mapped) return ipv4Kind(mapped);
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (hex) {
    const n = (parseInt(hex[1]!, 16) << 16) | parseInt(hex[2]!, 16);
    return ipv4Kind([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join("."));
  }
  if (h === "fd00:ec2::254") return "metadata";
  if (h === "::1") return "loopback";
  if (/^fe[89ab]/.test(h)) return "link-local";
  if (/^f[cd]/.test(h)) return "private";
  return undefined;
}

/** Kinds a request is refused for unless the user's `base_url` names the host itself. */
export function refusedByDefault(kind: AddressKind | undefined): boolean {
  return kind === "metadata" || kind === "link-local";
}
