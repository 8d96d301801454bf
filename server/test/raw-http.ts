import net from "node:net";

export interface RawResponse {
  /** 0 when the server closed the connection without answering. */
  status: number;
  head: string;
  body: string;
}

/**
 * Sends bytes as they are (a request no HTTP client would write: no Host, HTTP/1.0, broken framing) and reads
 * what comes back until the server closes the connection or `timeoutMs` passes.
 */
export function rawRequest(
  baseUrl: string,
  request: string | Buffer,
  timeoutMs = 2_000,
): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname, () => socket.end(request));
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const head = split >= 0 ? text.slice(0, split) : text;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const body = split >= 0 ? text.slice(split + 4) : "";
      resolve({ status, head, body: /^transfer-encoding: *chunked/im.test(head) ? dechunk(body) : body });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (chunk) => chunks.push(chunk));
    socket.on("end", finish);
    socket.on("error", finish);
  });
}

function dechunk(body: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const eol = body.indexOf("\r\n", at);
    const size = Number.parseInt(body.slice(at, eol), 16);
    if (eol < 0 || !(size > 0)) return out;
    out += body.slice(eol + 2, eol + 2 + size);
    at = eol + 2 + size + 2;
  }
}
