/*
 * abigen_ioctl: ioctl(2) for the runtime's real fds (src/runtime/native-ioctl.ts loads it).
 *
 *   ioctl0(fd, request)            ioctl(fd, request, 0)
 *   ioctlVal(fd, request, value)   ioctl(fd, request, value)      value: number or bigint
 *   ioctlBuf(fd, request, bytes)   ioctl(fd, request, &bytes[0])  bytes: Uint8Array (byteOffset honoured) or null
 *   fastCalls()                    how many calls took a fast path (for tests)
 *
 * Each returns the kernel's result, or -errno on failure: errno is read here, right after the
 * syscall, so nothing in between (a Node fs call, koffi) can overwrite it.
 *
 * Why not N-API: a call through N-API (or V8's ordinary callbacks) costs tens of ns before the
 * syscall starts, which is the whole budget for a cheap ioctl (target: ≤ 1.5× C). V8's Fast API
 * lets optimized JS call the C function directly, passing int32/uint32/int64 and, for a
 * Uint8Array, its element pointer and length. Each function has both forms with identical
 * behaviour: V8 uses the fast one from optimized code when the argument types fit, and the
 * ordinary one otherwise (interpreted code, a bigint value, a detached or shared buffer, null).
 *
 * Typed arrays on V8's heap (Node keeps a Uint8Array of ≤ 64 bytes inside the JS heap until
 * its .buffer is asked for): V8 11.3's fast-call lowering computes the data pointer as
 * base_pointer + external_pointer, which is right for on-heap arrays too, and no GC can run
 * during a fast call (the callee cannot allocate or call into JS), so the pointer stays valid
 * until ioctl returns. The ordinary path asks for the view's ArrayBuffer, which moves such an
 * array's bytes off the heap first (allowed there: it may allocate).
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <node.h>
#include <v8.h>

#include "fast-api.h"

namespace {

using v8::ArrayBufferView;
using v8::BigInt;
using v8::Context;
using v8::FunctionCallbackInfo;
using v8::FunctionTemplate;
using v8::Isolate;
using v8::Local;
using v8::Number;
using v8::Object;
using v8::Value;

uint64_t fast_calls = 0;

inline int32_t result(int r) {
  return r < 0 ? -errno : r;
}

inline int32_t do_ioctl(int32_t fd, uint32_t request, unsigned long arg) {
  return result(ioctl(fd, static_cast<unsigned long>(request), arg));
}

inline int32_t do_ioctl_ptr(int32_t fd, uint32_t request, void* arg) {
  return result(ioctl(fd, static_cast<unsigned long>(request), arg));
}

// ---- ordinary (slow) callbacks: argument conversion as WebIDL does it, as the fast path gets it

bool int_args(const FunctionCallbackInfo<Value>& info, int32_t* fd, uint32_t* request) {
  Isolate* isolate = info.GetIsolate();
  Local<Context> context = isolate->GetCurrentContext();
  if (!info[0]->IsNumber() || !info[1]->IsNumber()) {
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(isolate, "abigen_ioctl: fd and request must be numbers")));
    return false;
  }
  // ToInt32 / ToUint32, as V8 converts a Number for a fast int32_t / uint32_t parameter.
  *fd = info[0]->Int32Value(context).FromJust();
  *request = info[1]->Uint32Value(context).FromJust();
  return true;
}

void SlowIoctl0(const FunctionCallbackInfo<Value>& info) {
  int32_t fd;
  uint32_t request;
  if (!int_args(info, &fd, &request)) return;
  info.GetReturnValue().Set(do_ioctl(fd, request, 0));
}

/** ToBigInt64-style: truncate toward zero, then modulo 2^64 (negative values wrap, as in C). */
bool word_of(Local<Value> v, unsigned long* out) {
  if (v->IsBigInt()) {
    *out = static_cast<unsigned long>(v.As<BigInt>()->Uint64Value());
    return true;
  }
  if (!v->IsNumber()) return false;
  double d = v.As<Number>()->Value();
  if (!isfinite(d)) {
    *out = 0;
    return true;
  }
  d = trunc(fmod(d, 18446744073709551616.0));  // into (-2^64, 2^64)
  if (d < 0) d += 18446744073709551616.0;
  *out = d >= 18446744073709551616.0 ? 0 : static_cast<unsigned long>(d);
  return true;
}

void SlowIoctlVal(const FunctionCallbackInfo<Value>& info) {
  int32_t fd;
  uint32_t request;
  if (!int_args(info, &fd, &request)) return;
  unsigned long word;
  if (!word_of(info[2], &word)) {
    Isolate* isolate = info.GetIsolate();
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(isolate, "abigen_ioctl: the value must be a number or a bigint")));
    return;
  }
  info.GetReturnValue().Set(do_ioctl(fd, request, word));
}

void SlowIoctlBuf(const FunctionCallbackInfo<Value>& info) {
  int32_t fd;
  uint32_t request;
  if (!int_args(info, &fd, &request)) return;
  void* data = nullptr;
  if (info[2]->IsUint8Array()) {
    Local<ArrayBufferView> view = info[2].As<ArrayBufferView>();
    // Buffer() gives an on-heap array a backing store of its own, so its bytes no longer move.
    data = static_cast<char*>(view->Buffer()->Data()) + view->ByteOffset();
  } else if (!info[2]->IsNull()) {
    Isolate* isolate = info.GetIsolate();
    isolate->ThrowException(v8::Exception::TypeError(
        v8::String::NewFromUtf8Literal(isolate, "abigen_ioctl: the argument must be a Uint8Array or null")));
    return;
  }
  info.GetReturnValue().Set(do_ioctl_ptr(fd, request, data));
}

void FastCallCount(const FunctionCallbackInfo<Value>& info) {
  info.GetReturnValue().Set(static_cast<double>(fast_calls));
}

// ---- fast callbacks (first parameter: the receiver)

#ifdef ABIGEN_FAST_API
int32_t FastIoctl0(Local<Object>, int32_t fd, uint32_t request) {
  fast_calls++;
  return do_ioctl(fd, request, 0);
}

int32_t FastIoctlVal(Local<Object>, int32_t fd, uint32_t request, int64_t value) {
  fast_calls++;
  return do_ioctl(fd, request, static_cast<unsigned long>(value));
}

int32_t FastIoctlBuf(Local<Object>, int32_t fd, uint32_t request, const abigen::FastBytes& bytes) {
  fast_calls++;
  return do_ioctl_ptr(fd, request, bytes.data);
}

using T = v8::CTypeInfo::Type;
using S = v8::CTypeInfo::SequenceType;
const v8::CTypeInfo kInt32Ret(T::kInt32);
const v8::CTypeInfo kArgs0[] = {v8::CTypeInfo(T::kV8Value), v8::CTypeInfo(T::kInt32), v8::CTypeInfo(T::kUint32)};
const v8::CTypeInfo kArgsVal[] = {v8::CTypeInfo(T::kV8Value), v8::CTypeInfo(T::kInt32), v8::CTypeInfo(T::kUint32),
                                  v8::CTypeInfo(T::kInt64)};
const v8::CTypeInfo kArgsBuf[] = {v8::CTypeInfo(T::kV8Value), v8::CTypeInfo(T::kInt32), v8::CTypeInfo(T::kUint32),
                                  v8::CTypeInfo(T::kUint8, S::kIsTypedArray)};
const v8::CFunctionInfo kInfo0(kInt32Ret, 3, kArgs0);
const v8::CFunctionInfo kInfoVal(kInt32Ret, 4, kArgsVal);
const v8::CFunctionInfo kInfoBuf(kInt32Ret, 4, kArgsBuf);
const v8::CFunction kFast0(reinterpret_cast<const void*>(&FastIoctl0), &kInfo0);
const v8::CFunction kFastVal(reinterpret_cast<const void*>(&FastIoctlVal), &kInfoVal);
const v8::CFunction kFastBuf(reinterpret_cast<const void*>(&FastIoctlBuf), &kInfoBuf);
#define FAST(f) (&(f))
#else
#define FAST(f) nullptr
#endif

void Define(Local<Context> context, Local<Object> exports, const char* name, v8::FunctionCallback slow,
            const v8::CFunction* fast, int length) {
  Isolate* isolate = context->GetIsolate();
  Local<FunctionTemplate> t = FunctionTemplate::New(isolate, slow, Local<Value>(), Local<v8::Signature>(), length,
                                                    v8::ConstructorBehavior::kThrow,
                                                    v8::SideEffectType::kHasSideEffect, fast);
  Local<v8::String> key = v8::String::NewFromUtf8(isolate, name).ToLocalChecked();
  t->SetClassName(key);
  exports->Set(context, key, t->GetFunction(context).ToLocalChecked()).Check();
}

}  // namespace

NODE_MODULE_INIT(/* exports, module, context */) {
  Define(context, exports, "ioctl0", SlowIoctl0, FAST(kFast0), 2);
  Define(context, exports, "ioctlVal", SlowIoctlVal, FAST(kFastVal), 3);
  Define(context, exports, "ioctlBuf", SlowIoctlBuf, FAST(kFastBuf), 3);
  Define(context, exports, "fastCalls", FastCallCount, nullptr, 0);
  Isolate* isolate = context->GetIsolate();
#ifdef ABIGEN_FAST_API
  const bool fast = true;
#else
  const bool fast = false;
#endif
  exports->Set(context, v8::String::NewFromUtf8Literal(isolate, "fastApi"), v8::Boolean::New(isolate, fast)).Check();
}
