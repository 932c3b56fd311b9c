//go:build tools

// Package helm pins the helm command that the chart tests build; nothing here is
// compiled into the product.
package helm

import _ "helm.sh/helm/v3/cmd/helm"
