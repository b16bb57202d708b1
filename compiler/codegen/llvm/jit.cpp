// jit.cpp — LLVM ORC LLJIT backend: kernel IR -> LLVM IR -> a short scalar pipeline
// (kJitPipeline below, host CPU) -> native kernels with the runtime ABI, through the
// object cache (object_cache.h) when it is on. Only this folder includes LLVM headers.
//
// Floating-point semantics match the interpreter exactly: no fast-math flags, sums and
// products evaluated left to right, integer powers by repeated multiplication, the same
// libm functions (sin/sinf, ...). LLVM errors never propagate as C++ exceptions.
#include "codegen/llvm/jit.h"

#include "base/version.h"

#include <atomic>
#include <cstdlib>
#include <chrono>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <vector>

#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/ObjectCache.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SHA256.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/TargetParser/Host.h>

#ifndef PINNC_JIT_SOURCE_HASH  // set by CMakeLists.txt: the SHA-256 of this file
#error "PINNC_JIT_SOURCE_HASH is not defined"
#endif

namespace pinnc::jit {

using lower::Block;
using lower::Input;
using lower::Instr;
using lower::Kernel;
using lower::KernelKind;
using lower::KernelModule;
using sym::Op;

std::string llvm_version() { return LLVM_VERSION_STRING; }

namespace {

std::string to_string(llvm::Error err) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << err;
  return s;
}

/// Emits one kernel function of one precision into a module.
class KernelEmitter {
 public:
  KernelEmitter(llvm::Module& m, llvm::Type* scalar, bool is_f32)
      : m_(m), ctx_(m.getContext()), b_(ctx_), t_(scalar), f32_(is_f32) {}

  llvm::Function* emit(const Kernel& k, const std::string& name) {
    // The signature from kernel_abi.h: void* ctx (unused here), then its argument list.
    const lower::KernelSignature& sig = lower::signature(k.kind);
    std::vector<llvm::Type*> params{b_.getPtrTy()};
    for (const lower::KernelArg& a : sig.args)
      params.push_back(a.role == lower::ArgRole::COUNT ? static_cast<llvm::Type*>(b_.getInt64Ty()) : b_.getPtrTy());
    auto* fty = llvm::FunctionType::get(b_.getVoidTy(), params, false);
    fn_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name, m_);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    fn_->getArg(0)->setName("ctx");
    n_ = t_in_ = u_in_ = params_in_ = nullptr;
    outs_.clear();
    for (unsigned i = 0; i < sig.args.size(); ++i) {
      const lower::KernelArg& a = sig.args[i];
      llvm::Argument* arg = fn_->getArg(i + 1);
      arg->setName(llvm::StringRef(a.name.data(), a.name.size()));
      if (a.role != lower::ArgRole::COUNT) fn_->addParamAttr(i + 1, llvm::Attribute::NoAlias);
      switch (a.role) {
        case lower::ArgRole::COUNT: n_ = arg; break;
        case lower::ArgRole::TIME: t_in_ = arg; break;
        case lower::ArgRole::STACK: u_in_ = arg; break;
        case lower::ArgRole::PARAMS: params_in_ = arg; break;
        case lower::ArgRole::OUT:
        case lower::ArgRole::OPTIONAL_OUT: outs_.push_back({arg, a.role == lower::ArgRole::OPTIONAL_OUT}); break;
      }
    }
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn_));
    for (const Block& blk : k.blocks) {
      // Stores into an optional output (d/d params) are skipped when its pointer is NULL.
      // Two versions of the loop, chosen once, keep the loop body free of branches.
      int optional = -1;
      for (const auto& s : blk.stores)
        if (outs_.at(s.array).optional) optional = static_cast<int>(s.array);
      if (optional < 0) {
        emit_block(blk, true);
        continue;
      }
      auto* with = llvm::BasicBlock::Create(ctx_, "with_optional", fn_);
      auto* without = llvm::BasicBlock::Create(ctx_, "without_optional", fn_);
      auto* join = llvm::BasicBlock::Create(ctx_, "join", fn_);
      b_.CreateCondBr(b_.CreateIsNull(outs_[optional].ptr), without, with);
      b_.SetInsertPoint(with);
      emit_block(blk, true);
      b_.CreateBr(join);
      b_.SetInsertPoint(without);
      emit_block(blk, false);
      b_.CreateBr(join);
      b_.SetInsertPoint(join);
    }
    b_.CreateRetVoid();
    return fn_;
  }

 private:
  /// The loop over points (or the single fixed point) of one block.
  void emit_block(const Block& blk, bool optional_stores) {
    llvm::Type* i64 = b_.getInt64Ty();
    auto* body = llvm::BasicBlock::Create(ctx_, "body", fn_);
    auto* done = llvm::BasicBlock::Create(ctx_, "done", fn_);
    llvm::BasicBlock* pre = b_.GetInsertBlock();
    if (blk.point >= 0) {
      auto* p = llvm::ConstantInt::get(i64, blk.point);
      b_.CreateCondBr(b_.CreateICmpSLT(p, n_), body, done);
      b_.SetInsertPoint(body);
      emit_body(blk, p, optional_stores);
      b_.CreateBr(done);
    } else {
      b_.CreateCondBr(b_.CreateICmpSGT(n_, llvm::ConstantInt::get(i64, 0)), body, done);
      b_.SetInsertPoint(body);
      llvm::PHINode* p = b_.CreatePHI(i64, 2, "p");
      p->addIncoming(llvm::ConstantInt::get(i64, 0), pre);
      emit_body(blk, p, optional_stores);
      llvm::Value* next = b_.CreateAdd(p, llvm::ConstantInt::get(i64, 1), "p.next", true, true);
      p->addIncoming(next, b_.GetInsertBlock());
      b_.CreateCondBr(b_.CreateICmpSLT(next, n_), body, done);
    }
    b_.SetInsertPoint(done);
  }

  llvm::Value* elem(llvm::Value* base, llvm::Value* index) { return b_.CreateInBoundsGEP(t_, base, index); }

  llvm::Value* column(uint32_t slot, llvm::Value* p) {
    llvm::Value* off = b_.CreateAdd(b_.CreateMul(b_.getInt64(slot), n_, "", true, true), p, "", true, true);
    return off;
  }

  void emit_body(const Block& blk, llvm::Value* p, bool optional_stores) {
    std::vector<llvm::Value*> v(blk.code.size(), nullptr);
    for (std::size_t i = 0; i < blk.code.size(); ++i) v[i] = emit_instr(blk.code[i], v, p);
    for (const auto& s : blk.stores) {
      const Output& out = outs_.at(s.array);
      if (out.optional && !optional_stores) continue;
      // A fixed-point block stores one value per slot; an every-point block a column.
      llvm::Value* index = blk.point >= 0 ? b_.getInt64(s.slot) : column(s.slot, p);
      b_.CreateStore(v[s.value], elem(out.ptr, index));
    }
  }

  /// The C library function `name` (float: name + "f") on `arity` arguments.
  llvm::FunctionCallee libm(std::string_view name, int arity) {
    std::string n(name);
    if (f32_) n += 'f';
    std::vector<llvm::Type*> params(static_cast<std::size_t>(arity), t_);
    auto callee = m_.getOrInsertFunction(n, llvm::FunctionType::get(t_, params, false));
    if (auto* f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
      f->setDoesNotThrow();
      f->setWillReturn();
      f->setDoesNotAccessMemory();  // like -fno-math-errno: pure, so loops still vectorise
    }
    return callee;
  }

  llvm::Value* operand(const sym::SelectOperand& o, const Instr& in, const std::vector<llvm::Value*>& v) {
    return o.arg >= 0 ? v[in.args[static_cast<std::size_t>(o.arg)]] : llvm::ConstantFP::get(t_, o.value);
  }

  llvm::Value* compare(sym::Cmp cmp, llvm::Value* l, llvm::Value* r) {
    switch (cmp) {  // ordered: false when either side is NaN
      case sym::Cmp::Lt: return b_.CreateFCmpOLT(l, r);
      case sym::Cmp::Le: return b_.CreateFCmpOLE(l, r);
      case sym::Cmp::Gt: return b_.CreateFCmpOGT(l, r);
      case sym::Cmp::Ge: return b_.CreateFCmpOGE(l, r);
      case sym::Cmp::Eq: return b_.CreateFCmpOEQ(l, r);
    }
    return nullptr;
  }

  /// One instruction, from its op's class in the table (ops.h): no case per op.
  llvm::Value* emit_instr(const Instr& in, const std::vector<llvm::Value*>& v, llvm::Value* p) {
    auto a = [&](std::size_t i) { return v[in.args[i]]; };
    if (in.int_exponent != 0) {  // x^n by repeated multiplication, as sym::powi
      const int32_t m = in.int_exponent < 0 ? -in.int_exponent : in.int_exponent;
      llvm::Value* r = a(0);
      for (int32_t i = 1; i < m; ++i) r = b_.CreateFMul(r, a(0));
      return in.int_exponent < 0 ? b_.CreateFDiv(llvm::ConstantFP::get(t_, 1.0), r) : r;
    }
    const sym::OpInfo& info = sym::op_info(in.op);
    switch (info.cls) {
      case sym::OpClass::Leaf:
        if (in.op == Op::Const) return llvm::ConstantFP::get(t_, in.value);
        switch (in.input) {
          case Input::T: return b_.CreateLoad(t_, elem(t_in_, p));
          case Input::U: return b_.CreateLoad(t_, elem(u_in_, column(in.slot, p)));
          case Input::Param: return b_.CreateLoad(t_, elem(params_in_, b_.getInt64(in.slot)));
        }
        break;
      case sym::OpClass::Sum:
      case sym::OpClass::Product: {
        const bool sum = info.cls == sym::OpClass::Sum;
        llvm::Value* s = a(0);
        for (std::size_t i = 1; i < in.args.size(); ++i) s = sum ? b_.CreateFAdd(s, a(i)) : b_.CreateFMul(s, a(i));
        return s;
      }
      case sym::OpClass::Libm: {
        std::vector<llvm::Value*> args;
        for (std::size_t i = 0; i < in.args.size(); ++i) args.push_back(a(i));
        // A correctly rounded function may be LLVM's intrinsic (folded, vectorised, the
        // same bits); any other is the C library's own call, which LLVM must not evaluate
        // itself (it folds a float call on constants through the double function).
        const std::string intrinsic = "llvm." + std::string(info.libm);
        if (info.exact)
          if (llvm::Intrinsic::ID id = llvm::Function::lookupIntrinsicID(intrinsic); id != llvm::Intrinsic::not_intrinsic)
            return b_.CreateIntrinsic(id, {t_}, args);
        llvm::CallInst* call = b_.CreateCall(libm(info.libm, static_cast<int>(args.size())), args);
        call->addFnAttr(llvm::Attribute::NoBuiltin);
        return call;
      }
      case sym::OpClass::Select: {
        // The first case that holds, else NaN: selects built from the last case back.
        llvm::Value* r = llvm::ConstantFP::getNaN(t_);
        for (int i = info.select.n - 1; i >= 0; --i) {
          const sym::SelectCase& c = info.select.cases[static_cast<std::size_t>(i)];
          llvm::Value* holds = compare(c.cmp, operand(c.lhs, in, v), operand(c.rhs, in, v));
          r = b_.CreateSelect(holds, operand(c.result, in, v), r);
        }
        return r;
      }
    }
    throw std::logic_error("pinnc bug (jit.cpp): instruction of no op class");
  }

  llvm::Module& m_;
  llvm::LLVMContext& ctx_;
  llvm::IRBuilder<> b_;
  llvm::Type* t_;
  bool f32_;
  llvm::Function* fn_ = nullptr;
  llvm::Value* n_ = nullptr;
  llvm::Value* t_in_ = nullptr;
  llvm::Value* u_in_ = nullptr;
  llvm::Value* params_in_ = nullptr;
  struct Output {
    llvm::Value* ptr;
    bool optional;  ///< may be NULL (ArgRole::OPTIONAL_OUT)
  };
  std::vector<Output> outs_;
};

/// The optimisation pipeline. A kernel is one loop over points around straight-line code
/// that lowering has already simplified and CSE'd (lower/), so LLVM's O2 mostly spent its
/// time in the loop and SLP vectorisers and dead-store elimination: for a chain of 48
/// coupled ODEs (238 stores per point) they took ~250 ms and vectorised nothing, and on
/// small kernels the vectorised loop saved ~1 ns per point, which is ~0.1 us of an epoch
/// on 128 points against 13+ ms of compile time per run. So: CSE, hoisting what does not
/// depend on the point (parameters, constants), instcombine and CFG cleanup; none of these
/// changes a floating-point result (no fast-math flags anywhere). Measured figures in
/// docs/ARCHITECTURE.md ("Compile cost"); bench/bench_jit_compile times a kernel.
constexpr const char* kJitPipeline = "function(early-cse,loop-mssa(licm),instcombine,simplifycfg)";

/// Code generation level: Less (-O1) generates the same kernels as Aggressive to within
/// the noise (measured per point, as above) in ~60% of the time on large kernels.
constexpr llvm::CodeGenOptLevel kCodeGenLevel = llvm::CodeGenOptLevel::Less;

std::once_flag g_native_init;

/// LLVM's hook for compiled objects: each object the JIT's compiler makes is stored under
/// its module's identifier, which Jit::compile sets to the cache key. Lookups do not go
/// through here: compile() loads a hit itself, before optimising, and adds the object.
class DiskCache final : public llvm::ObjectCache {
 public:
  explicit DiskCache(CacheOptions opt) : store(std::move(opt)) {}
  void notifyObjectCompiled(const llvm::Module* m, llvm::MemoryBufferRef obj) override {
    const std::string& key = m->getModuleIdentifier();
    store.store(key, std::string_view(obj.getBufferStart(), obj.getBufferSize()));
  }
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module*) override { return nullptr; }
  ObjectStore store;
};

/// What identifies the machine code of `m` (unoptimised): its IR, the CPU and features
/// it is compiled for, the LLVM and pinnc versions, and this file (its pipeline and
/// settings), by hash. SHA-256, in hex.
std::string cache_key(const llvm::Module& m, const std::string& cpu, const std::string& features) {
  std::string ir;
  llvm::raw_string_ostream os(ir);
  m.print(os, nullptr);
  os.flush();
  llvm::SHA256 h;
  h.update(ir);
  for (const std::string& part : {cpu, features, std::string(LLVM_VERSION_STRING), std::string(pinnc::version()),
                                  std::string(PINNC_JIT_SOURCE_HASH)}) {
    h.update(llvm::StringRef("\n", 1));
    h.update(part);
  }
  const std::array<uint8_t, 32> digest = h.final();
  return llvm::toHex(digest, /*LowerCase=*/true);
}

}  // namespace

/// The JIT's compiler: SimpleCompiler (through the object cache when there is one) on a
/// target machine made at the first compile, so a run whose kernels all come from the
/// cache never builds one.
class LazyCompiler final : public llvm::orc::IRCompileLayer::IRCompiler {
 public:
  LazyCompiler(llvm::orc::JITTargetMachineBuilder b, llvm::ObjectCache* cache)
      : IRCompiler(llvm::orc::irManglingOptionsFromTargetOptions(b.getOptions())), b_(std::move(b)), cache_(cache) {}
  llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>> operator()(llvm::Module& m) override {
    if (!tm_) {
      auto tm = b_.createTargetMachine();
      if (!tm) return tm.takeError();
      tm_ = std::move(*tm);
    }
    return llvm::orc::SimpleCompiler(*tm_, cache_)(m);
  }

 private:
  llvm::orc::JITTargetMachineBuilder b_;
  llvm::ObjectCache* cache_;
  std::unique_ptr<llvm::TargetMachine> tm_;
};

struct Jit::Impl {
  std::unique_ptr<DiskCache> cache;  ///< outlives the JIT's compiler, which points to it
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::optional<llvm::orc::JITTargetMachineBuilder> jtmb;
  std::unique_ptr<llvm::TargetMachine> tm;  ///< for the optimiser; made when first needed
  std::string cpu, features;

  /// The target machine the optimiser tunes for; nullptr (and *error) on failure.
  llvm::TargetMachine* machine(std::string* error) {
    if (!tm) {
      auto made = jtmb->createTargetMachine();
      if (!made) {
        *error = "cannot create a target machine: " + to_string(made.takeError());
        return nullptr;
      }
      tm = std::move(*made);
    }
    return tm.get();
  }
  std::atomic<int> counter{0};

  /// Builds the module with every kernel in both precisions, suffixing symbol names.
  std::unique_ptr<llvm::Module> build(llvm::LLVMContext& ctx, const KernelModule& km,
                                      const std::string& suffix, bool with_f32) {
    auto m = std::make_unique<llvm::Module>("pinnc_kernels", ctx);
    m->setDataLayout(jit->getDataLayout());
    m->setTargetTriple(jit->getTargetTriple().str());
    for (bool f32 : {false, true}) {
      if (f32 && !with_f32) continue;
      KernelEmitter e(*m, f32 ? llvm::Type::getFloatTy(ctx) : llvm::Type::getDoubleTy(ctx), f32);
      const std::string tag = (f32 ? "_f32" : "_f64") + suffix;
      for (int i = 0; i < lower::kKernelKindCount; ++i) {
        const auto kind = static_cast<KernelKind>(i);
        if (km.has(kind) && (!f32 || lower::signature(kind).has_f32)) e.emit(km.kernel(kind), km.kernel(kind).name + tag);
      }
    }
    for (auto& f : *m) {
      if (f.isDeclaration()) continue;
      f.addFnAttr("target-cpu", cpu);
      f.addFnAttr("target-features", features);
    }
    return m;
  }

  bool optimize(llvm::Module& m, std::string* error) {
    llvm::TargetMachine* tm = machine(error);
    if (!tm) return false;
    llvm::LoopAnalysisManager lam;
    llvm::FunctionAnalysisManager fam;
    llvm::CGSCCAnalysisManager cgam;
    llvm::ModuleAnalysisManager mam;
    llvm::PassBuilder pb(tm);
    llvm::TargetLibraryInfoImpl tlii(tm->getTargetTriple());
    fam.registerPass([&] { return llvm::TargetLibraryAnalysis(tlii); });
    pb.registerModuleAnalyses(mam);
    pb.registerCGSCCAnalyses(cgam);
    pb.registerFunctionAnalyses(fam);
    pb.registerLoopAnalyses(lam);
    pb.crossRegisterProxies(lam, fam, cgam, mam);
    llvm::ModulePassManager mpm;
    if (auto err = pb.parsePassPipeline(mpm, kJitPipeline)) {
      *error = "pinnc bug: the JIT's pass pipeline does not parse: " + to_string(std::move(err));
      return false;
    }
    mpm.run(m, mam);
    return true;
  }
};

Jit::Jit(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Jit::~Jit() = default;

std::unique_ptr<Jit> Jit::create(const CacheOptions& cache, std::string* error) {
  std::call_once(g_native_init, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto impl = std::make_unique<Impl>();
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    *error = "cannot detect the host CPU: " + to_string(jtmb.takeError());
    return nullptr;
  }
  jtmb->setCodeGenOptLevel(kCodeGenLevel);
  // PINNC_JIT_CPU (an LLVM CPU name such as x86-64-v3) replaces the host CPU and its
  // features: for tools that do not know every instruction of this CPU (valgrind 3.19 has
  // no AVX-512; scripts/valgrind.sh). The cache key holds the CPU, so entries never mix.
  if (const char* cpu = std::getenv("PINNC_JIT_CPU"); cpu && *cpu) {
    jtmb->setCPU(cpu);
    jtmb->getFeatures() = llvm::SubtargetFeatures();
  }
  impl->cpu = jtmb->getCPU();
  impl->features = jtmb->getFeatures().getString();
  impl->jtmb = *jtmb;
  if (cache.enabled) impl->cache = std::make_unique<DiskCache>(cache);
  llvm::orc::LLJITBuilder builder;
  builder.setJITTargetMachineBuilder(std::move(*jtmb));
  // Kernels have no static constructors or destructors: no platform support to set up.
  builder.setPlatformSetUp(llvm::orc::setUpInactivePlatform);
  builder.setCompileFunctionCreator([c = impl->cache.get()](llvm::orc::JITTargetMachineBuilder b)
                                        -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
    return std::make_unique<LazyCompiler>(std::move(b), c);
  });
  auto jit = builder.create();
  if (!jit) {
    *error = "cannot create the LLVM JIT: " + to_string(jit.takeError());
    return nullptr;
  }
  impl->jit = std::move(*jit);
  // libm's functions (sin, exp, ...) resolve from the process itself.
  auto gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(
      impl->jit->getDataLayout().getGlobalPrefix());
  if (!gen) {
    *error = "cannot search the process for symbols: " + to_string(gen.takeError());
    return nullptr;
  }
  impl->jit->getMainJITDylib().addGenerator(std::move(*gen));
  return std::unique_ptr<Jit>(new Jit(std::move(impl)));
}

bool Jit::compile(const KernelModule& km, bool with_f32, CompiledKernels* out, std::string* error) {
  auto start = std::chrono::steady_clock::now();
  const std::string suffix = "_" + std::to_string(impl_->counter++);
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto m = impl_->build(*ctx, km, suffix, with_f32);
  *out = CompiledKernels{};
  if (impl_->cache) {
    const std::string key = cache_key(*m, impl_->cpu, impl_->features);
    m->setModuleIdentifier(key);
    if (std::optional<std::string> bytes = impl_->cache->store.load(key)) {
      auto buffer = llvm::MemoryBuffer::getMemBufferCopy(*bytes, key);
      // The checksum matched; an object LLVM cannot parse is still never added (a miss).
      auto parsed = llvm::object::ObjectFile::createObjectFile(buffer->getMemBufferRef());
      out->cache_hit = bool(parsed);
      if (!parsed) llvm::consumeError(parsed.takeError());
      if (out->cache_hit) {
        if (auto err = impl_->jit->addObjectFile(std::move(buffer))) {
          *error = "cannot load cached kernels (" + impl_->cache->store.path(key) + "): " + to_string(std::move(err)) +
                   "; run with --no-cache, or delete that file";
          return false;
        }
      }
    }
  }
  if (!out->cache_hit) {  // (an entry was verified when it was stored)
    std::string verify;
    llvm::raw_string_ostream vs(verify);
    if (llvm::verifyModule(*m, &vs)) {
      *error = "pinnc bug: generated LLVM IR does not verify: " + vs.str();
      return false;
    }
    if (!impl_->optimize(*m, error)) return false;
    if (auto err = impl_->jit->addIRModule(llvm::orc::ThreadSafeModule(std::move(m), std::move(ctx)))) {
      *error = "cannot add kernels to the JIT: " + to_string(std::move(err));
      return false;
    }
  }
  auto look = [&](const std::string& name, auto& fn) -> bool {
    auto addr = impl_->jit->lookup(name + suffix);
    if (!addr) {
      *error = "cannot compile kernel " + name + ": " + to_string(addr.takeError());
      return false;
    }
    fn = addr->toPtr<std::remove_reference_t<decltype(fn)>>();
    return true;
  };
  bool ok = true;
  lower::for_each_kernel(out->kernels, [&](auto kind, auto f32, auto& field) {
    if (ok && km.has(kind) && (!f32 || with_f32))
      ok = look(km.kernel(kind).name + (f32 ? "_f32" : "_f64"), field);
  });
  out->compile_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return ok;
}

std::string Jit::llvm_ir(const KernelModule& km, bool optimized) {
  llvm::LLVMContext ctx;
  auto m = impl_->build(ctx, km, "", true);
  std::string error;
  if (optimized && !impl_->optimize(*m, &error)) return "; " + error + "\n";
  std::string s;
  llvm::raw_string_ostream os(s);
  m->print(os, nullptr);
  return os.str();
}

std::string Jit::host_cpu() const { return impl_->cpu; }

}  // namespace pinnc::jit
