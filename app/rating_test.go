package app

import (
	"encoding/json"
	"reflect"
	"testing"

	"claimmark/internal/annotation"
)

// mapStorage keeps values in a map as JSON strings, as localStorage does.
type mapStorage map[string]string

func (m mapStorage) Set(k string, v any) error {
	b, err := json.Marshal(v)
	m[k] = string(b)
	return err
}

func (m mapStorage) Get(k string, v any) error {
	if s, ok := m[k]; ok {
		return json.Unmarshal([]byte(s), v)
	}
	return nil
}

// TestKeptScale checks that a server's own rating scale stays offered
// offline once the device has seen it, and that the default scale is
// offered before that.
func TestKeptScale(t *testing.T) {
	st := mapStorage{}
	if got := keptScale(st, nil, false); !reflect.DeepEqual(got, annotation.DefaultRatingScale.Labels) {
		t.Errorf("offline before any scale was seen: %v, want the default", got)
	}
	custom := []annotation.RatingLabel{{Label: "Pants on fire", Value: 1}, {Label: "Correct", Value: 5}, {Label: "Satire"}}
	if got := keptScale(st, custom, true); !reflect.DeepEqual(got, custom) {
		t.Errorf("online: %v, want the server's", got)
	}
	if got := keptScale(st, nil, false); !reflect.DeepEqual(got, custom) {
		t.Errorf("offline after the server said its scale: %v, want %v", got, custom)
	}
	st[scaleKey] = "{broken"
	if got := keptScale(st, nil, false); !reflect.DeepEqual(got, annotation.DefaultRatingScale.Labels) {
		t.Errorf("a broken kept scale: %v, want the default", got)
	}
}
