//go:build !unix

package main

// syncFiles does nothing where sync(2) is missing.
func syncFiles() {}
