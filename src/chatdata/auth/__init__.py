"""Users, teams, tokens, roles, and the policy that says who may touch what."""
