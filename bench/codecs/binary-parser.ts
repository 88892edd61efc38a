/**
 * The benchmarked structs as binary-parser parsers (decode only: binary-parser compiles a parser
 * description into a JS function, the fastest declarative decoder on npm), x86-64 layout.
 * `stripNull` reads char[N] up to the first NUL, as the generated codecs do.
 */
import { Parser } from "binary-parser";

export const uioMsiIrqSet = new Parser().endianness("little").uint32("vec").int32("fd");

export const uvirtioSetup = new Parser()
  .endianness("little")
  .uint64("features")
  .uint64("config_addr")
  .uint16("config_len")
  .uint16("flags")
  .uint32("id");

const REGS = ["rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"];
export const kvmRegs = REGS.reduce((p, n) => p.uint64(n), new Parser().endianness("little"));

const ghFnDesc = new Parser().endianness("little").uint32("type").uint32("arg_size").uint64("arg");
const ghFnIoeventfdArg = new Parser()
  .endianness("little")
  .uint64("datamatch")
  .uint64("addr")
  .uint32("len")
  .int32("fd")
  .uint32("flags")
  .uint32("padding");
export const fnWithArg = new Parser().nest("desc", { type: ghFnDesc }).nest("arg", { type: ghFnIoeventfdArg });

const rule = new Parser().endianness("little").uint16("off").uint16("len");
const block = new Parser()
  .endianness("little")
  .uint32("len")
  .uint16("flags")
  .uint16("unused")
  .uint64("data")
  .array("rules", { type: rule, length: 8 });
const expect = new Parser()
  .string("vq_name", { length: 64, encoding: "utf8", stripNull: true })
  .array("blocks", { type: block, length: 8 });
export const uvirtioExpect = new Parser().array("expects", { type: expect, length: 8 });
