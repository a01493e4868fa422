# mingw-w64.cmake - cross-compiles hvecho for 64-bit Windows with the
# Debian package gcc-mingw-w64-x86-64 (x86_64-w64-mingw32-gcc, windres).
#   cmake --preset windows      (or: cmake -DCMAKE_TOOLCHAIN_FILE=cmake/mingw-w64.cmake)
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)

set(HVECHO_MINGW_TRIPLE x86_64-w64-mingw32 CACHE STRING "mingw-w64 target triple")
set(CMAKE_C_COMPILER ${HVECHO_MINGW_TRIPLE}-gcc)
set(CMAKE_RC_COMPILER ${HVECHO_MINGW_TRIPLE}-windres)

set(CMAKE_FIND_ROOT_PATH /usr/${HVECHO_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Self-contained .exe files: no libgcc / libwinpthread DLLs to ship.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -static-libgcc")

# C99 printf (%zu, %lld) as with MSVC's UCRT, instead of the old
# msvcrt.dll's; also makes gcc check formats the C99 way.
set(CMAKE_C_FLAGS_INIT "-D__USE_MINGW_ANSI_STDIO=1")
