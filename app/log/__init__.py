"""A tamper-evident log of every public change (RFC 9162 Merkle tree, C2SP signed checkpoints):
anyone can prove that what the registry published was never rewritten."""
