package main

import (
	"crypto/tls"
	"fmt"
)

// loadTLS reads the certificate and key of --tls-cert and --tls-key before anything else
// starts, so that a bad pair stops serve at once with a message rather than failing every
// handshake. Both or neither must be given; neither means plain HTTP (behind a proxy that
// terminates TLS).
func loadTLS(certFile, keyFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" {
		return nil, nil
	}
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("--tls-cert and --tls-key go together: give both, or neither for plain HTTP")
	}
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("--tls-cert %s, --tls-key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}, nil
}
