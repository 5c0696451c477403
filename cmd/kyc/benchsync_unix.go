//go:build unix

package main

import "syscall"

// syncFiles asks the kernel to write every file's dirty pages out (sync(2)).
func syncFiles() { syscall.Sync() }
