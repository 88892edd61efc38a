/*
 * The few declarations of V8's Fast API (v8-fast-api-calls.h) this addon needs, written out here
 * because Node 20's installed headers (/usr/include/node, and the node-gyp header tarballs) leave
 * v8-fast-api-calls.h out. The definitions live in the node binary (exported symbols
 * v8::CFunctionInfo::CFunctionInfo(CTypeInfo const&, unsigned, CTypeInfo const*) and
 * v8::CFunction::CFunction(void const*, CFunctionInfo const*)); what must match is their
 * layout and the enum values, which are those of V8 11.3 (Node 20):
 *
 *   CTypeInfo     = { uint8_t type, uint8_t sequence_type, uint8_t flags }
 *   CFunctionInfo = { CTypeInfo return_info; unsigned arg_count; const CTypeInfo* arg_info }
 *   CFunction     = { const void* address; const CFunctionInfo* type_info }
 *   a typed-array argument arrives as a pointer to { size_t length; void* data }, data being the
 *   element storage with the view's byteOffset applied (FastApiTypedArray<T>).
 *
 * ioctl.cc only compiles the fast paths when the V8 it is built against is 11.3
 * (ABIGEN_FAST_API below); any other V8 gets the ordinary callbacks alone — slower, never wrong.
 * test/runtime/native-ioctl.test.ts proves the fast paths are entered and give the kernel's
 * answers (a wrong layout would show as wrong fds, wrong bytes or EFAULT there).
 */
#ifndef ABIGEN_FAST_API_H
#define ABIGEN_FAST_API_H

#include <stddef.h>
#include <stdint.h>

#include <v8-version.h>
#include <v8config.h>

#if V8_MAJOR_VERSION == 11 && V8_MINOR_VERSION == 3
#define ABIGEN_FAST_API 1

namespace v8 {

class CTypeInfo {
 public:
  enum class Type : uint8_t {
    kVoid, kBool, kUint8, kInt32, kUint32, kInt64, kUint64, kFloat32, kFloat64,
    kPointer, kV8Value, kSeqOneByteString, kApiObject, kAny,
  };
  enum class SequenceType : uint8_t { kScalar, kIsSequence, kIsTypedArray, kIsArrayBuffer };
  enum class Flags : uint8_t { kNone = 0 };

  explicit constexpr CTypeInfo(Type type, SequenceType seq = SequenceType::kScalar, Flags flags = Flags::kNone)
      : type_(type), sequence_type_(seq), flags_(flags) {}

 private:
  Type type_;
  SequenceType sequence_type_;
  Flags flags_;
};

class V8_EXPORT CFunctionInfo {
 public:
  CFunctionInfo(const CTypeInfo& return_info, unsigned int arg_count, const CTypeInfo* arg_info);

 private:
  const CTypeInfo return_info_;
  const unsigned int arg_count_;
  const CTypeInfo* arg_info_;
};

class V8_EXPORT CFunction {
 public:
  CFunction(const void* address, const CFunctionInfo* type_info);

 private:
  const void* address_;
  const CFunctionInfo* type_info_;
};

}  // namespace v8

namespace abigen {

/** What V8 11.3 passes for a Uint8Array argument (FastApiTypedArray<uint8_t>). */
struct FastBytes {
  size_t length;
  void* data;
};

}  // namespace abigen

#endif
#endif
