# musl-static.cmake - toolchain for a fully static hvecho CLI linked with
# musl libc (Debian's musl-tools: musl-gcc), for guests without a compiler
# or a C library of the right version (initramfs, LinuxKit, Firecracker).
#   cmake --preset static     (or: -DCMAKE_TOOLCHAIN_FILE=cmake/musl-static.cmake)
# The result has no dynamic section: no loader, no libc needed at run time.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${CMAKE_HOST_SYSTEM_PROCESSOR})

find_program(HVECHO_MUSL_GCC musl-gcc REQUIRED)
set(CMAKE_C_COMPILER ${HVECHO_MUSL_GCC})

# musl-gcc hides /usr/include, but the vsock header (linux/vm_sockets.h)
# comes from the kernel's: expose only linux/, asm/ and asm-generic/
# through a directory of links, so glibc's headers stay out.
set(_hve_kh ${CMAKE_BINARY_DIR}/musl-kernel-headers)
if(NOT EXISTS ${_hve_kh}/linux)
  file(MAKE_DIRECTORY ${_hve_kh})
  execute_process(COMMAND ${CMAKE_C_COMPILER} -dumpmachine
    OUTPUT_VARIABLE _hve_triple OUTPUT_STRIP_TRAILING_WHITESPACE)
  # Debian's musl-gcc reports the glibc triple (x86_64-linux-gnu), whose
  # multiarch directory holds asm/.
  set(_hve_asm /usr/include/${_hve_triple}/asm)
  if(NOT EXISTS ${_hve_asm})
    set(_hve_asm /usr/include/asm)
  endif()
  file(CREATE_LINK /usr/include/linux ${_hve_kh}/linux SYMBOLIC)
  file(CREATE_LINK /usr/include/asm-generic ${_hve_kh}/asm-generic SYMBOLIC)
  file(CREATE_LINK ${_hve_asm} ${_hve_kh}/asm SYMBOLIC)
endif()
set(CMAKE_C_FLAGS_INIT "-idirafter ${_hve_kh}")

# Everything linked in, symbols stripped: small enough for an initramfs.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static -s")
