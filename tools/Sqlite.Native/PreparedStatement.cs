using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sqlite.Native;

/// <summary>
/// One statement prepared once on a connection's native handle (SQLitePCLRaw): bind its parameters (1-based), then
/// <see cref="Run"/> it to completion, as often as needed. Compared with a <see cref="SqliteCommand"/>, a value is bound
/// straight from a span (a <see cref="SqliteParameter"/> needs an array of the value's exact length, a copy) and no data
/// reader or binder is allocated per execution. Text and integers are bound as Microsoft.Data.Sqlite binds them (UTF-8
/// text, 64-bit integers), so the rows are the same. A failure throws the <see cref="SqliteException"/> Microsoft.Data.Sqlite
/// would have thrown.
/// </summary>
public sealed class PreparedStatement : IDisposable
{
    private readonly sqlite3 db;
    private readonly sqlite3_stmt statement;

    public PreparedStatement(sqlite3 db, string sql)
    {
        this.db = db;
        Check(raw.sqlite3_prepare_v2(db, sql, out statement));
    }

    public PreparedStatement(SqliteConnection connection, string sql) : this(connection.Handle!, sql)
    {
    }

    public PreparedStatement Text(int index, string value)
    {
        Check(raw.sqlite3_bind_text(statement, index, value));
        return this;
    }

    public PreparedStatement Int(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(statement, index, value));
        return this;
    }

    public PreparedStatement Null(int index)
    {
        Check(raw.sqlite3_bind_null(statement, index));
        return this;
    }

    /// <summary>An empty value is bound as a zero-length blob: SQLite binds a null pointer (what an empty span gives)
    /// as NULL (https://www.sqlite.org/c3ref/bind_blob.html), and an empty value is not "none".</summary>
    public PreparedStatement Blob(int index, ReadOnlySpan<byte> value)
    {
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(statement, index, 0) : raw.sqlite3_bind_blob(statement, index, value));
        return this;
    }

    /// <summary>Runs the statement to completion and resets it for the next values.</summary>
    public void Run()
    {
        var rc = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Runs an INSERT, UPDATE or DELETE and tells whether it changed exactly one row.</summary>
    public bool RunChangesOneRow()
    {
        var rc = raw.sqlite3_step(statement);
        var changes = rc == raw.SQLITE_DONE ? raw.sqlite3_changes(db) : 0;
        raw.sqlite3_reset(statement);
        if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
        return changes == 1;
    }

    /// <summary>The first column of the one row the statement returns (an UPDATE … RETURNING makes its change on the
    /// first step: https://www.sqlite.org/lang_returning.html).</summary>
    public long Int64Row()
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc == raw.SQLITE_DONE ? raw.SQLITE_ERROR : rc, db);
            var value = raw.sqlite3_column_int64(statement, 0);
            rc = raw.sqlite3_step(statement);
            if (rc != raw.SQLITE_DONE) SqliteException.ThrowExceptionForRC(rc, db);
            return value;
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    /// <summary>The first row the statement returns, read by <paramref name="read"/> from the statement's columns
    /// (<c>raw.sqlite3_column_*</c>), or null when it returns none; the statement is reset either way.</summary>
    public T? FirstRow<T>(Func<sqlite3_stmt, T> read) where T : class
    {
        try
        {
            var rc = raw.sqlite3_step(statement);
            if (rc == raw.SQLITE_DONE) return null;
            if (rc != raw.SQLITE_ROW) SqliteException.ThrowExceptionForRC(rc, db);
            return read(statement);
        }
        finally
        {
            raw.sqlite3_reset(statement);
        }
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(rc, db);
    }

    public void Dispose() => statement.Dispose();
}
