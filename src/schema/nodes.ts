// Schema nodes: plain, frozen data with a `kind` discriminant and no closures, so that every backend
// (decoder, encoder, Lua generator, fuzzer, docs) can read them.

/** Who sent a frame: the tracker (uplink) or the platform (downlink). */
export type Direction = 'uplink' | 'downlink';

/** Checksum algorithms known to every backend. */
export type ChecksumAlgorithm = 'crc16-ccitt-false' | 'xor8';

/** Pure functions a `computed` node may name; each backend implements every one of them. */
export type ComputeFn =
  | 'nmeaLatitude'
  | 'nmeaLongitude'
  | 'nmeaTimestamp'
  | 'knotsToKmh'
  | 'number'
  | 'hexNumber'
  | 'scale'
  | 'validity'
  | 'mictrackVoltage'
  | 'bitSet'
  | 'hexToText'
  | 'digitSlice'
  | 'h02Coordinate';

/** How a field feeds the normalized (flespi-style) object. */
export type ParamConversion = 'as-is' | 'number' | 'hex' | 'boolean';

export interface NodeBase {
  /** One-line human description, shown in trees, docs and Wireshark field names. */
  readonly title?: string;
  readonly doc?: string;
  readonly unit?: string;
  /** Normalized parameter this field's value feeds, e.g. `position.latitude`. */
  readonly param?: string;
  readonly paramAs?: ParamConversion;
  /** Constant normalized parameters that hold whenever this node is present (e.g. `message.type`). */
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  /** Documented value range; a value outside it is reported, not rejected. */
  readonly range?: readonly [number, number];
  /** Value names (open enum): unknown values decode and get a note. */
  readonly names?: Readonly<Record<string, string>>;
  /** Set on switch cases and choice variants: the key and path segment they appear under. */
  readonly label?: string;
  /**
   * Matching this node is itself a known deviation from the documents (a variant real devices or the
   * documents' own examples show): it decodes, and an issue `<path>.deviation` says so.
   */
  readonly deviation?: { readonly severity: Severity; readonly message: string };
}

/** A field whose value is computed from other bytes: filled on encode, verified on decode. */
export type Derive =
  | { readonly kind: 'lengthOf'; readonly target: string }
  | { readonly kind: 'countOf'; readonly target: string }
  | {
      readonly kind: 'checksum';
      readonly algorithm: ChecksumAlgorithm;
      /** First and last field (by name) of the covered span; '$frame' covers everything before this field. */
      readonly from: string;
      readonly to: string;
      /** Text prepended to the covered bytes before checksumming (e.g. a dropped NMEA header). */
      readonly seed?: string;
    };

/** Size of a variable binary field: fixed, everything left in scope, or another field's value. */
export type Size = number | 'rest' | { readonly ref: string };

// ---- binary -------------------------------------------------------------------------------------

export interface UintNode extends NodeBase {
  readonly kind: 'uint';
  readonly size: 1 | 2 | 4;
  readonly endian: 'be' | 'le';
  readonly display?: 'dec' | 'hex';
  readonly derive?: Derive;
}

/** Packed decimal digits, high nibble first, with a padding nibble (Meiligao ids: `12 34 … 1F FF`). */
export interface BcdNode extends NodeBase {
  readonly kind: 'bcd';
  readonly size: number;
  readonly pad: number;
}

export interface BytesNode extends NodeBase {
  readonly kind: 'bytes';
  readonly size: Size;
}

// ---- shared by binary and text ------------------------------------------------------------------

/** Fixed bytes (latin1 text). Carries no value; its span is still a field. */
export interface LitNode extends NodeBase {
  readonly kind: 'lit';
  readonly value: string;
}

/** One of several literals; the value is the literal matched. `role: 'direction'` sets the frame direction. */
export interface OneOfNode<
  V extends Readonly<Record<string, string>> = Readonly<Record<string, string>>,
> extends NodeBase {
  readonly kind: 'oneOf';
  readonly values: V;
  readonly role?: 'direction';
}

/** Ordered fields (object key order is wire order). With `sep`, text fields are separated by it. */
export interface StructNode<F extends Fields = Fields> extends NodeBase {
  readonly kind: 'struct';
  readonly fields: F;
  readonly sep?: string;
  /** Text before the first field (`#` of an MT700 head, `|` of Meiligao extras). */
  readonly lead?: string;
}

/**
 * Chooses a body by the value of an earlier field (`on`, resolved outwards through enclosing structs,
 * or '$direction'). Transparent: the chosen case appears under its label, both as key and path segment.
 */
export interface SwitchNode<
  C extends Cases = Cases,
  D extends Node | undefined = Node | undefined,
> extends NodeBase {
  readonly kind: 'switch';
  readonly on: string;
  readonly cases: C;
  readonly default?: D;
}

/** Ordered alternatives tried in turn (PEG choice); the value is `{ [variant]: value }`. */
export interface ChoiceNode<V extends Cases = Cases> extends NodeBase {
  readonly kind: 'choice';
  readonly variants: V;
  /**
   * Variants can share a wire text that only context settles (an AT set response and a read answer
   * with the same name and values): the first that parses wins, so a value of a later variant may
   * decode as an earlier one with the same bytes.
   */
  readonly ambiguous?: boolean;
}

/** Present if it parses here (decode) or if a value is given (encode). */
export interface OptionalNode<N extends Node = Node> extends NodeBase {
  readonly kind: 'optional';
  readonly node: N;
}

/** Zero or more items (at least `min`), separated by `sep` when given. */
export interface RepeatNode<N extends Node = Node> extends NodeBase {
  readonly kind: 'repeat';
  readonly node: N;
  readonly sep?: string;
  readonly min?: number;
  readonly max?: number;
}

/** Its node, then a line end (CRLF, LF or CR) or the end of the frame. */
export interface LineNode<N extends Node = Node> extends NodeBase {
  readonly kind: 'line';
  readonly node: N;
}

// ---- text tokens --------------------------------------------------------------------------------

export type TokenSyntax =
  | 'digits' // [0-9]*
  | 'integer' // -?[0-9]+
  | 'decimal' // -?[0-9]+(.[0-9]+)?
  | 'hex' // [0-9A-Fa-f]*
  | 'alnum' // [0-9A-Za-z]*
  | 'text'; // anything up to the next stop character

/**
 * A text token: the characters up to the next stop character (separators and whatever can follow).
 * Its value is the exact text, so encode(decode(bytes)) reproduces the bytes; numeric meaning lives
 * in `computed` nodes and the normalized object.
 */
export interface TokenNode extends NodeBase {
  readonly kind: 'token';
  readonly syntax: TokenSyntax;
  /** Allowed length in characters. */
  readonly length?: readonly [number, number];
  /** Written between double quotes (AT string parameters); may then contain stop characters. */
  readonly quoted?: 'always' | 'optional';
  readonly derive?: Derive;
  /** Text whose hex digits carry an inner byte stream, keyed by these earlier fields (AT payloads). */
  readonly carries?: { readonly stream: readonly string[] };
  /** Examples, used by generators (fuzz seeds, docs) and to build valid random values. */
  readonly examples?: readonly string[];
}

/** A value computed from other fields (consumes no bytes); appears as a generated field. */
export interface ComputedNode extends NodeBase {
  readonly kind: 'computed';
  readonly fn: ComputeFn;
  readonly args: readonly string[];
  readonly options?: Readonly<Record<string, number | string>>;
}

export type Node =
  | UintNode
  | BcdNode
  | BytesNode
  | LitNode
  | OneOfNode
  | StructNode
  | SwitchNode
  | ChoiceNode
  | OptionalNode
  | RepeatNode
  | LineNode
  | TokenNode
  | ComputedNode;

export type Kind = Node['kind'];
export type Fields = Readonly<Record<string, Node>>;
export type Cases = Readonly<Record<string | number, Node>>;

// ---- protocols ----------------------------------------------------------------------------------

export type Severity = 'error' | 'warn' | 'note';
export type ExpertGroup = 'checksum' | 'malformed' | 'protocol' | 'undecoded' | 'sequence';

export interface Expert {
  readonly id: string;
  readonly group: ExpertGroup;
  readonly severity: Severity;
  readonly summary: string;
}

/** A cheap start-of-frame test: literal text and character-class runs (translatable to Lua patterns). */
export type PatternAtom =
  | { readonly lit: string }
  | {
      readonly cls: 'digit' | 'hex' | 'alpha' | 'alnum' | 'upper' | 'print';
      readonly min: number;
      readonly max: number;
    };
export type Pattern = readonly PatternAtom[];

/**
 * How a stream is cut into frames. `length`: a magic, then a length field counting the whole frame
 * (its offset and the fixed overhead are computed from the schema). `delimited`: from a start pattern
 * to an end marker. `line`: one frame per line. `fixed`: known sizes.
 */
export type Framing =
  | {
      readonly kind: 'length';
      readonly lengthField: string;
      readonly max: number;
      readonly trailer: string;
    }
  | {
      readonly kind: 'delimited';
      readonly start: readonly Pattern[];
      /** End markers, tried in order; the frame includes the marker. */
      readonly end: readonly string[];
      /** An end marker counts only when followed by a line end, the end of data or a new frame start. */
      readonly endMustBeFollowed?: boolean;
      /** A frame also ends where a line starting with a start pattern begins. */
      readonly endsBeforeNextStart?: boolean;
      /** Line ends right after the frame belong to it. */
      readonly swallowLineEnd?: boolean;
      readonly max: number;
    }
  | {
      readonly kind: 'line';
      readonly start?: readonly Pattern[];
      readonly max: number;
    }
  | {
      /** Fixed-size frames; with several sizes, the one followed by a frame start or line end wins. */
      readonly kind: 'fixed';
      readonly start: readonly Pattern[];
      readonly sizes: readonly number[];
    };

export interface FrameType {
  /** Name of this frame type, e.g. `report`; shown in summaries and JSON `frameType`. */
  readonly name: string;
  /** Path segment after the protocol name; '' puts the fields right under it (`meiligao.crc`). */
  readonly segment: string;
  readonly title: string;
  readonly node: Node;
  readonly framing: Framing;
  /** Which way this frame type travels; omitted when the frame itself says (Meiligao `$$`/`@@`). */
  readonly direction?: Direction;
}

export interface Protocol {
  /** Lowercase name: JSON `protocol`, Wireshark protocol and the first segment of every field path. */
  readonly name: string;
  readonly title: string;
  /** Where the format is documented (file#section). */
  readonly ref: string;
  /** Frame types in the order they are tried at a position of a stream. */
  readonly frames: readonly FrameType[];
  readonly experts?: readonly Expert[];
  readonly transport?: {
    readonly tcp?: { readonly ports: readonly number[]; readonly heuristic: boolean };
    readonly udp?: { readonly ports: readonly number[]; readonly heuristic: boolean };
  };
}
