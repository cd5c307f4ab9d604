// Types of the `vpsgate` npm package. Shapes follow docs/CONTRACT.md of the vpsgate repository:
// configuration and arguments in the contract's snake_case, methods in camelCase.

/** A function with the signature of `globalThis.fetch` (a relay, a proxy, a test double). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options every network method takes last. */
export interface CallOptions {
  /** Abort the exchange (the promise rejects with a VpsgateError, code 19). */
  signal?: AbortSignal;
  /** Whole-exchange timeout for this call, in ms (overrides the configured `timeout_ms`). */
  timeout_ms?: number;
}

/** Transport settings shared by both providers. */
export interface TransportConfig {
  /** Whole-exchange timeout, 1 ms to 24 h; default 60000. */
  timeout_ms?: number;
  /** Accepted for the shared configuration; fetch has no separate connect phase. */
  connect_timeout_ms?: number;
  /** Largest answer accepted; default 16 MiB. */
  max_body_bytes?: number;
  /** Allow plain http:// to a non-loopback host (loopback is always allowed). */
  allow_insecure_http?: boolean;
  /**
   * Attempts in all for a read-only request (getTarifs, getOrders, getBalance; the info, list
   * and balance steps), 1 to 10; default 1 (no retry). Money-moving and state-changing requests
   * are never sent twice.
   */
  retry_attempts?: number;
  /** Wait before the first retry (doubling, jittered), 1 ms to 60 s; default 200. */
  retry_base_delay_ms?: number;
  /** Longest wait between two attempts, up to 60 s; default 5000. */
  retry_max_delay_ms?: number;
  /** The fetch to send with; `globalThis.fetch` by default. */
  fetch?: FetchLike;
}

/** Friendhosting / RootPanel configuration: `login` plus exactly one of `password`/`api_key`. */
export interface FriendhostingConfig extends TransportConfig {
  provider?: 'friendhosting';
  /** The full apih.php URL; default https://my.friendhosting.net/apih.php. */
  endpoint?: string;
  login: string;
  password?: string;
  api_key?: string;
  /** Answer format to ask for (either is read); default "php". */
  format?: 'php' | 'json';
  /** Default "post". */
  method?: 'post' | 'get';
}

/** GoVPSFX partner configuration. */
export interface GovpsfxConfig extends TransportConfig {
  provider?: 'govpsfx';
  /** Base URL the three paths go under; default https://api.govpsfx.com. */
  endpoint?: string;
  partner_code: string;
  secret: string;
  lease_url?: string;
  /** The default extend path is an unverified assumption. */
  extend_url?: string;
  /** The default recall path is an unverified assumption. */
  recall_url?: string;
}

/** A configuration for the provider-neutral Lifecycle: `provider` is required. */
export type ProviderConfig =
  | (FriendhostingConfig & { provider: 'friendhosting' })
  | (GovpsfxConfig & { provider: 'govpsfx' });

/** A non-critical warning (Friendhosting 30/31): the call succeeded. */
export interface Warning {
  code: number;
  message: string;
}

/** Any JSON value, as the gateway's answer fields are. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The envelope of every Friendhosting command. `data` holds the answer's fields. */
export interface CommandAnswer<Name extends string, Data = { [field: string]: Json }> {
  command: Name;
  warning: Warning | null;
  data: Data;
}

/** Arguments of `createOrder`. */
export interface CreateOrderArgs {
  tarifid: string | number;
  period: number;
  vid?: 'hosting' | 'vds' | 'dedicated' | string;
  domain?: string;
  addons?: string[];
}

/** An order id argument. */
export interface OrderArgs {
  orderid: string | number;
}

/** The nine commands of the Friendhosting / RootPanel gateway. */
export class Friendhosting {
  constructor(config: FriendhostingConfig);
  /** Moves money: sent once, never retried. */
  createOrder(args: CreateOrderArgs, options?: CallOptions): Promise<CommandAnswer<'createOrder'>>;
  /** Moves money: sent once, never retried. */
  renewOrder(args: OrderArgs & { period: number }, options?: CallOptions): Promise<CommandAnswer<'renewOrder'>>;
  suspendOrder(args: OrderArgs, options?: CallOptions): Promise<CommandAnswer<'suspendOrder'>>;
  unSuspendOrder(args: OrderArgs, options?: CallOptions): Promise<CommandAnswer<'unSuspendOrder'>>;
  restartOrder(args: OrderArgs, options?: CallOptions): Promise<CommandAnswer<'restartOrder'>>;
  reinstallOrder(args: OrderArgs, options?: CallOptions): Promise<CommandAnswer<'reinstallOrder'>>;
  getTarifs(args?: { vid?: string }, options?: CallOptions): Promise<CommandAnswer<'getTarifs'>>;
  /** The gateway answers error 26 (a VpsgateError code 7, upstreamCode 26) when there are no orders. */
  getOrders(args?: { orderid?: string | number }, options?: CallOptions): Promise<CommandAnswer<'getOrders'>>;
  getBalance(options?: CallOptions): Promise<CommandAnswer<'getBalance'>>;
  free(): void;
}

/** GoVPSFX server details (password in clear: the panel must store it). */
export interface ServerDetails {
  ip: string;
  port: number;
  login: string;
  password: string;
  created_at: string;
  end_at: string;
  rate: string;
  client_id: string;
  server_id: string;
}

/** The outcome of a lease. */
export type LeaseOutcome =
  | { status: 'delivered'; server: ServerDetails }
  | { status: 'pending'; message: string };

/** The GoVPSFX partner API. */
export class Govpsfx {
  constructor(config: GovpsfxConfig);
  /** Moves money: sent once, never retried. `term` is 1, 3, 6, 9 or 12. */
  lease(args: { rate: string; term: number; client_id: string | number }, options?: CallOptions): Promise<LeaseOutcome>;
  /** Moves money: sent once, never retried. */
  extend(args: { term: number; client_id: string | number }, options?: CallOptions): Promise<{ end_at: string }>;
  recall(args: { server_id: string | number }, options?: CallOptions): Promise<{ recalled: true }>;
  /** Check a deferred delivery POSTed to the partner's handler; throws VpsgateError 11, 12 or 13. */
  verifyCallback(body: Uint8Array | string, contentType?: string | null): ServerDetails;
  free(): void;
}

/** How a service is addressed. */
export interface ServiceRef {
  id: string;
  client_id: string | null;
}

export interface Access {
  ip: string | null;
  port: number | null;
  login: string | null;
  password: string | null;
}

export interface Created {
  service: ServiceRef;
  provisioning: { state: 'ready' } | { state: 'pending'; message: string };
  access: Access | null;
  cost: string | null;
  expires: string | null;
  warning: Warning | null;
}

export interface Renewed {
  expires: string | null;
  cost: string | null;
  warning: Warning | null;
}

export interface Done {
  done: true;
  warning: Warning | null;
}

export interface ServiceInfo {
  service: ServiceRef;
  plan: string;
  domain: string | null;
  state: 'pending' | 'active' | 'suspended' | { other: number };
  expires: string | null;
}

export interface Balance {
  amount: string;
  currency: string;
}

export interface CreateArgs {
  plan: string | number;
  months: number;
  kind?: string;
  domain?: string;
  addons?: string[];
  /** Required by GoVPSFX. */
  client_id?: string | number;
}

export interface IdArgs {
  id: string | number;
  client_id?: string | number;
}

export type StepName =
  | 'create' | 'renew' | 'suspend' | 'unsuspend' | 'terminate'
  | 'reboot' | 'reinstall' | 'info' | 'list' | 'balance';

/** Any step's arguments, as one flat object (unknown or unneeded fields are refused). */
export interface StepArgs {
  id?: string | number;
  client_id?: string | number;
  months?: number;
  plan?: string | number;
  kind?: string;
  domain?: string;
  addons?: string[];
}

export type Outcome = Created | Renewed | Done | ServiceInfo | ServiceInfo[] | Balance;

/** The provider-neutral lifecycle; an operation the provider lacks rejects with code 14. */
export class Lifecycle {
  constructor(config: ProviderConfig);
  readonly provider: 'friendhosting' | 'govpsfx';
  run(step: StepName, args?: StepArgs, options?: CallOptions): Promise<Outcome>;
  /** Moves money: sent once, never retried. */
  create(args: CreateArgs, options?: CallOptions): Promise<Created>;
  /** Moves money: sent once, never retried. */
  renew(args: IdArgs & { months: number }, options?: CallOptions): Promise<Renewed>;
  suspend(args: IdArgs, options?: CallOptions): Promise<Done>;
  unsuspend(args: IdArgs, options?: CallOptions): Promise<Done>;
  terminate(args: IdArgs, options?: CallOptions): Promise<Done>;
  reboot(args: IdArgs, options?: CallOptions): Promise<Done>;
  reinstall(args: IdArgs, options?: CallOptions): Promise<Done>;
  info(args: IdArgs, options?: CallOptions): Promise<ServiceInfo>;
  list(options?: CallOptions): Promise<ServiceInfo[]>;
  balance(options?: CallOptions): Promise<Balance>;
  free(): void;
}

/** A decoded PHP value. `bigint` only for integers beyond 2^53 - 1; `Map` only with the `maps` option. */
export type PhpValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | PhpValue[]
  | { [key: string]: PhpValue }
  | Map<string, PhpValue>;

export interface DecodeOptions {
  /** Integers beyond ±(2^53 - 1): BigInt (default) or their decimal string. Never rounded. */
  bigint?: 'bigint' | 'string';
  /**
   * "object" (default): plain objects, as JSON.parse builds them; "ordered": a Map where a plain
   * object would reorder the keys (integer-like keys out of ascending order); "always": a Map for
   * every array that is not a list.
   */
  maps?: 'object' | 'ordered' | 'always';
}

/** PHP unserialize() as JSON.parse(json_encode(unserialize($s))) shows it. Throws VpsgateError code 2. */
export function decodePhp(input: Uint8Array | string, options?: DecodeOptions): PhpValue;

/** A value encodePhp accepts. */
export type PhpInput =
  | null
  | undefined
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PhpInput[]
  | Map<string | number | bigint, PhpInput>
  | { [key: string]: PhpInput };

/** PHP serialize() of a JS value, as bytes. Throws VpsgateError code 4. */
export function encodePhp(value: PhpInput): Uint8Array;

/** The fields a GoVPSFX request signs (those it carries). */
export interface SignedFields {
  rate?: string;
  term?: string | number;
  server_id?: string;
  partner_code?: string | number;
}

/** The GoVPSFX md5 hash (lower-case hex). */
export function sign(fields: SignedFields, secret: string): string;

/** The stable error names. */
export type ErrorCodeName =
  | 'invalid_input' | 'php_syntax' | 'json_syntax' | 'serialize' | 'malformed_response'
  | 'unexpected_status' | 'gateway' | 'invalid_parameters' | 'refused' | 'provider_error'
  | 'bad_signature' | 'malformed_callback' | 'payload_too_large' | 'unsupported' | 'timeout'
  | 'connect' | 'insecure_url' | 'redirect' | 'transport'
  /** 100: an internal error (a panic inside the wasm); the instance is unusable afterwards. */
  | 'panic';

/** The error object of docs/CONTRACT.md. */
export interface ContractError {
  code: number;
  name: ErrorCodeName;
  message: string;
  upstream_code: number | null;
  field: string | null;
  offset: number | null;
  raw_body: string | null;
}

/** Every failure of the package. Never holds a secret. */
export class VpsgateError extends Error {
  readonly name: 'VpsgateError';
  /** The stable number (same as the C library; CLI exit status is 10 + code). */
  readonly code: number;
  readonly codeName: ErrorCodeName;
  /** Friendhosting's errorCode or GoVPSFX's HTTP status. */
  readonly upstreamCode: number | null;
  /** The input or configuration field at fault. */
  readonly field: string | null;
  /** Byte offset where decoding stopped. */
  readonly offset: number | null;
  /** The answer as received (invalid UTF-8 replaced) when it could not be read. */
  readonly rawBody: string | null;
  /** A money-moving request failed after it may have been executed: check before retrying. */
  readonly outcomeUnknown: boolean;
  toJSON(): ContractError;
}

/** The stable error numbers by name. */
export const ErrorCode: Readonly<Record<ErrorCodeName, number>>;
