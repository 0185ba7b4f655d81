"""The members app's pages, one module per topic: `me` (我的: 站内信 and channels), `roster` (党员名册)."""
