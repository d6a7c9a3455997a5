package mo

import (
	"context"
	"sync/atomic"
)

// A request counter carried in a context counts the HTTP requests one
// operation (a snapshot) sends, apart from the client's cumulative count,
// even while other operations run on the same client.

type reqCounterKey struct{}

// withRequestCounter returns a context whose requests are counted in n.
func withRequestCounter(ctx context.Context, n *atomic.Int64) context.Context {
	return context.WithValue(ctx, reqCounterKey{}, n)
}

// countRequest adds one to the context's counter, if it has one.
func countRequest(ctx context.Context) {
	if n, ok := ctx.Value(reqCounterKey{}).(*atomic.Int64); ok {
		n.Add(1)
	}
}
