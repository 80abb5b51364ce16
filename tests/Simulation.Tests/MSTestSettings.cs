// The end-to-end days use both cores on their own; the specifications are fast either way.
[assembly: Parallelize(Workers = 1, Scope = ExecutionScope.ClassLevel)]
