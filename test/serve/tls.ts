// A certificate for 127.0.0.1 made with openssl for one test run, so a test can serve https on loopback; the
// process that must trust it is started with NODE_EXTRA_CA_CERTS naming the certificate file.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir } from "../helpers.js";

export interface LoopbackCertificate {
  certFile: string;
  cert: string;
  key: string;
}

export function loopbackCertificate(): LoopbackCertificate {
  const dir = tempDir();
  const certFile = join(dir, "cert.pem");
  const keyFile = join(dir, "key.pem");
  execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { stdio: "ignore" });
  return { certFile, cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
}
