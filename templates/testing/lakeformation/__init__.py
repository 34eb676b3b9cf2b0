"""LakeFormation in the simulator: its backend and its HTTP handlers."""
