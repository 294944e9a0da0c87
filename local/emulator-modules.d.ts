// Neither emulator ships type definitions; these cover the parts the local stack uses.

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  export default function dynalite(options?: DynaliteOptions): Server;
}

declare module 's3rver' {
  import type { AddressInfo } from 'node:net';

  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    resetOnClose?: boolean;
  }
  export default class S3rver {
    constructor(options?: S3rverOptions);
    run(): Promise<AddressInfo>;
    close(callback?: (error?: Error) => void): Promise<void>;
    /** s3rver is a Koa app: it emits an S3 event notification for each object written or deleted. */
    on(event: 'event', listener: (notification: S3rverEvent) => void): this;
  }
  export interface S3rverEvent {
    readonly Records?: readonly { readonly s3?: { readonly object?: { readonly key?: string } } }[];
  }
}
