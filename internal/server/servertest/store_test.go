package servertest_test

import (
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/annotation/storetest"
	"claimmark/internal/server/servertest"
)

// TestContract holds the in-memory Store to the annotation.Store contract
// suite that the bbolt store passes.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) annotation.Store { return servertest.NewStore() })
}
