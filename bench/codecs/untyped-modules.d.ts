/**
 * Types for the two comparison libraries of the codec benchmark, as far as bench/codecs uses
 * them: restructure 3 ships no types, and binary-parser's ESM entry has none in its exports map.
 */
declare module "restructure" {
  export interface DecodeStream {
    readonly buffer: Uint8Array;
    readonly view: DataView;
    pos: number;
  }
  export interface EncodeStream {
    readonly buffer: Uint8Array;
    readonly view: DataView;
    pos: number;
  }
  /** Anything with decode/encode/size is a restructure type. */
  export interface Type<T = unknown> {
    decode(stream: DecodeStream, parent?: unknown): T;
    encode(stream: EncodeStream, value: T, parent?: unknown): void;
    size(value?: T, parent?: unknown): number;
  }
  export class Base<T = unknown> implements Type<T> {
    decode(stream: DecodeStream, parent?: unknown): T;
    encode(stream: EncodeStream, value: T, parent?: unknown): void;
    size(value?: T, parent?: unknown): number;
    fromBuffer(buffer: Uint8Array): T;
    toBuffer(value: T): Uint8Array;
  }
  export class Struct<T = Record<string, unknown>> extends Base<T> {
    constructor(fields: Record<string, Type<any>>);
  }
  export class Array<T = unknown> extends Base<T[]> {
    constructor(type: Type<T>, length: number);
  }
  export const uint16le: Type<number>;
  export const uint32le: Type<number>;
  export const int32le: Type<number>;
}

declare module "binary-parser" {
  export interface ParserOptions {
    length?: number;
    type?: Parser;
    encoding?: string;
    stripNull?: boolean;
  }
  export class Parser {
    endianness(e: "little" | "big"): this;
    uint16(name: string): this;
    uint32(name: string): this;
    int32(name: string): this;
    uint64(name: string): this;
    string(name: string, options: ParserOptions): this;
    array(name: string, options: ParserOptions): this;
    nest(name: string, options: ParserOptions): this;
    parse(bytes: Uint8Array): unknown;
  }
}
