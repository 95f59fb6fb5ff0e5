package server_test

import (
	"net/http"
	"reflect"
	"testing"

	"claimmark/internal/annotation"
	"claimmark/internal/server"
)

func TestRatingsScale(t *testing.T) {
	custom := annotation.RatingScale{Labels: []annotation.RatingLabel{{Label: "Pants on fire", Value: 1}, {Label: "Accurate", Value: 5}}}
	tests := []struct {
		name  string
		scale annotation.RatingScale
		want  annotation.RatingScale
	}{
		{"default", annotation.RatingScale{}, annotation.DefaultRatingScale},
		{"configured", custom, custom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			cfg := e.cfg
			cfg.Ratings = tt.scale
			e.h = server.New(cfg)
			var got annotation.RatingScale
			wantStatus(t, e.do(t, req{method: "GET", path: "/api/ratings"}), http.StatusOK, &got)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("GET /api/ratings = %+v, want %+v", got, tt.want)
			}
		})
	}
	e := newEnv(t)
	wantError(t, e.do(t, req{method: "POST", path: "/api/ratings", body: "{}"}), http.StatusMethodNotAllowed, annotation.Invalid, "use GET")
}
