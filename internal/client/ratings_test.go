package client_test

import (
	"reflect"
	"testing"

	"claimmark/internal/annotation"
)

func TestRatings(t *testing.T) {
	c, _ := mustServe(t)
	got, err := c.Ratings(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, annotation.DefaultRatingScale) {
		t.Errorf("Ratings = %+v, want the default scale %+v", got, annotation.DefaultRatingScale)
	}
}
