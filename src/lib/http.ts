/** The header every cookie-authenticated write must carry (the server refuses writes without it). */
export const CSRF_HEADERS = { 'x-registry-csrf': '1' } as const;

export class HttpError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** POSTs JSON to a REST route and returns its JSON; failures carry the server's message. */
export async function postJson<T>(path: string, body?: unknown): Promise<T | undefined> {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...CSRF_HEADERS },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined;
  const json = (await response.json().catch(() => ({}))) as { errors?: { message: string }[] } & T;
  if (!response.ok) {
    throw new HttpError(json.errors?.[0]?.message ?? `The server answered ${response.status}.`, response.status);
  }
  return json;
}
