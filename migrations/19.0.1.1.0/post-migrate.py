"""19.0.1.1.0: the aging and KPI analyses became query models, computed where they are read
(on the replica when there is one): the tables their rows were written to before are no
longer read by anything. Drop them, and their rows, with their foreign keys on the journal
items (every deleted item had to check them)."""


def migrate(cr, version):
    cr.execute("DROP TABLE IF EXISTS credit_aging_line, credit_aging_bucket, credit_kpi_line")
