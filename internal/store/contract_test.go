package store_test

import (
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/annotation/storetest"
)

// TestContract runs the annotation.Store contract suite on a bbolt file,
// the reference implementation.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) annotation.Store { return MustOpen(t) })
}
