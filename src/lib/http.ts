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

/**
 * PUTs a body with XMLHttpRequest, the one browser API that reports upload progress
 * (`onProgress(bytesSent)`). Rejects with the server's message when it refuses.
 */
export function putWithProgress(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: (loaded: number) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size);
        resolve();
        return;
      }
      let message = `The upload failed (${xhr.status}).`;
      try {
        message = (JSON.parse(xhr.responseText) as { errors?: { message: string }[] }).errors?.[0]?.message ?? message;
      } catch {
        // not JSON: keep the status message
      }
      reject(new HttpError(message, xhr.status));
    };
    xhr.onerror = () => reject(new HttpError('The upload could not reach the server.', 0));
    xhr.send(body);
  });
}
