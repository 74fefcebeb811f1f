"""The tables: their schema, the embedded curated snapshot, and ``load`` that joins the store and the snapshot."""
