# Run by tools/demo.sh through `odoo-bin shell` (env is given). Placeholder: the realistic
# demo business arrives with the demo-data work; for now the demo has the addon only.
env.cr.commit()  # noqa: F821
