# CMake toolchain for the WASI build: clang-14 + wasi-libc from Debian (the wasi-sdk way,
# without wasi-sdk). Used by wasm/build.sh so the WASI module compiles exactly the sources
# CMakeLists.txt lists (NOVA_SOURCES): one source list for every target.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR wasm32)
set(CMAKE_C_COMPILER clang-14)
set(CMAKE_C_COMPILER_TARGET wasm32-wasi)
set(CMAKE_AR llvm-ar-14 CACHE FILEPATH "archiver for wasm objects")
set(CMAKE_RANLIB llvm-ranlib-14 CACHE FILEPATH "ranlib for wasm archives")
# The compiler check would link a command-model program; a static library is enough.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# -Oz for size; -ffile-prefix-map keeps build paths out of the objects (reproducible).
set(CMAKE_C_FLAGS_INIT "-ffile-prefix-map=${CMAKE_CURRENT_LIST_DIR}/..=.")
