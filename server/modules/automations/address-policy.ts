import dns from 'node:dns';
import net, { BlockList } from 'node:net';
import { userError } from '../../graphql/errors.js';

// Where webhooks may go. Link-local addresses and the clouds' metadata services never (they hand out
// credentials to whoever asks from inside); private and loopback networks only when the operator allows
// them. Checked when a webhook is saved (its written address) and again when it is delivered (every
// address its name resolves to, the connection then made to one of those).

const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

const always = new BlockList();
always.addSubnet('169.254.0.0', 16, 'ipv4');
always.addSubnet('0.0.0.0', 8, 'ipv4');
always.addSubnet('fe80::', 10, 'ipv6');
always.addAddress('fd00:ec2::254', 'ipv6');
always.addAddress('::', 'ipv6');

const privateNets = new BlockList();
for (const [prefix, bits] of [
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['127.0.0.0', 8],
  ['100.64.0.0', 10],
] as const) {
  privateNets.addSubnet(prefix, bits, 'ipv4');
}
privateNets.addAddress('::1', 'ipv6');
privateNets.addSubnet('fc00::', 7, 'ipv6');

/** Why an address is refused, or undefined when it may be used. */
export function addressRefusal(address: string, allowPrivate: boolean): string | undefined {
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d) is judged as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return addressRefusal(mapped, allowPrivate);
  if (always.check(address, family)) return `${address} is a link-local or cloud metadata address, which webhooks may never reach`;
  if (!allowPrivate && privateNets.check(address, family)) {
    return `${address} is a private or loopback address; the server's administrator allows those with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`;
  }
  return undefined;
}

function hostOf(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
}

/** Why a host name is refused before any lookup (metadata names, localhost), or undefined. */
function hostRefusal(host: string, allowPrivate: boolean): string | undefined {
  const bare = host.replace(/\.$/, '');
  if (METADATA_HOSTS.has(bare)) return `${bare} is a cloud metadata service, which webhooks may never reach`;
  if (net.isIP(bare)) return addressRefusal(bare, allowPrivate);
  if (!allowPrivate && (bare === 'localhost' || bare.endsWith('.localhost'))) {
    return `${bare} is this machine; the server's administrator allows loopback with WEBHOOK_ALLOW_PRIVATE_NETWORKS=true`;
  }
  return undefined;
}

/** Checks a webhook's URL as written (scheme, no credentials, host): a BAD_USER_INPUT error that says why. */
export function checkWebhookUrl(text: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw userError('BAD_USER_INPUT', `"${text.slice(0, 200)}" is not a URL; give one such as https://hooks.example.com/registry.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw userError('BAD_USER_INPUT', `A webhook URL starts with https:// or http://, not ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    throw userError('BAD_USER_INPUT', 'A webhook URL carries no user name or password; use an access token (a team secret) instead.');
  }
  const refusal = hostRefusal(hostOf(url), allowPrivate);
  if (refusal) throw userError('BAD_USER_INPUT', `The webhook URL is refused: ${refusal}.`);
  return url;
}

/** Why a URL may not be delivered to now (its host as written), or undefined. */
export function urlRefusal(url: URL, allowPrivate: boolean): string | undefined {
  return hostRefusal(hostOf(url), allowPrivate);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `lookup` for node:http that resolves the name and refuses it when any of its addresses is refused,
 * so the connection goes only to an address that was checked (no second lookup that could answer otherwise).
 */
export function checkedLookup(allowPrivate: boolean) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const refused = addresses.map((a) => addressRefusal(a.address, allowPrivate)).find(Boolean);
      if (refused) return callback(Object.assign(new Error(`refused by policy: ${refused}`), { code: 'EPOLICY' }), []);
      if (options.all) return callback(null, addresses);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), []);
      callback(null, first.address, first.family);
    });
  };
}
