package cli

import (
	"context"
	"errors"
	"net"
	"os"
	"syscall"
)

// explainNetErr puts the usual network failures in the words an operator
// looks for, keeping the original error wrapped.
func explainNetErr(err error) error {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		addr := "that address"
		if errors.As(err, &opErr) && opErr.Addr != nil {
			addr = opErr.Addr.String()
		}
		return explained{"nothing listens at " + addr + " (connection refused)", err}
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return explained{"host " + dnsErr.Name + " not found (DNS: no such host)", err}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		return explained{"no answer before the timeout", err}
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return explained{"no answer before the timeout", err}
	}
	return err
}

// explained is an error told in plain words; the original stays reachable
// with errors.Is/As.
type explained struct {
	msg string
	err error
}

func (e explained) Error() string { return e.msg }
func (e explained) Unwrap() error { return e.err }
