using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Campaigns.Api.Data;

/// <summary>
/// The writes of one import, in one transaction: validated rows are binary-COPYed into a staging table as
/// the body streams in, and <see cref="CompleteAsync"/> upserts them all by phone and commits. Disposed
/// before that (a bad body, too many rows, a body over its limit, a client gone), it rolls back: nothing lands.
/// </summary>
public sealed class CustomerImportSession : IAsyncDisposable
{
    // ON COMMIT DROP: the table lives only as long as this transaction, whatever happens to the connection.
    private const string CreateStaging = """
        CREATE TEMP TABLE customer_import (
            row_no                integer NOT NULL,
            phone                 text    NOT NULL,
            first_name            text    NOT NULL,
            has_first_name        boolean NOT NULL,
            last_name             text    NOT NULL,
            has_last_name         boolean NOT NULL,
            location              text    NOT NULL,
            has_location          boolean NOT NULL,
            preferred_product     text    NOT NULL,
            has_preferred_product boolean NOT NULL,
            opted_out             boolean NOT NULL,
            has_opted_out         boolean NOT NULL,
            timezone              text    NOT NULL,
            has_timezone          boolean NOT NULL,
            language              text    NULL,
            has_language          boolean NOT NULL
        ) ON COMMIT DROP
        """;

    private const string Copy = """
        COPY customer_import (row_no, phone, first_name, has_first_name, last_name, has_last_name, location, has_location,
                              preferred_product, has_preferred_product, opted_out, has_opted_out, timezone, has_timezone, language,
                              has_language)
        FROM STDIN (FORMAT BINARY)
        """;

    // The index serves the per-conflict lookup of the row's presence flags (EXCLUDED carries only the
    // table's columns) and the join back to row numbers.
    private const string IndexStaging = """
        CREATE UNIQUE INDEX ON customer_import (phone);
        ANALYZE customer_import;
        """;

    // Rows go in phone order so concurrent imports lock shared phones in the same order (no deadlock).
    // xmax = 0 only on a freshly inserted row version. A staged zone not given is the phone's: a new customer
    // gets it, an existing one keeps theirs (or gets it, when the backfill has not given them one yet).
    private const string Upsert = """
        WITH upserted AS (
            INSERT INTO customers AS c (phone, first_name, last_name, location, preferred_product, opted_out, timezone, language)
            SELECT phone, first_name, last_name, location, preferred_product, opted_out, timezone, language
            FROM customer_import
            ORDER BY phone
            ON CONFLICT (phone) DO UPDATE SET
                (first_name, last_name, location, preferred_product, opted_out, timezone, language) = (
                    SELECT CASE WHEN s.has_first_name THEN EXCLUDED.first_name ELSE c.first_name END,
                           CASE WHEN s.has_last_name THEN EXCLUDED.last_name ELSE c.last_name END,
                           CASE WHEN s.has_location THEN EXCLUDED.location ELSE c.location END,
                           CASE WHEN s.has_preferred_product THEN EXCLUDED.preferred_product ELSE c.preferred_product END,
                           CASE WHEN s.has_opted_out THEN EXCLUDED.opted_out ELSE c.opted_out END,
                           CASE WHEN s.has_timezone THEN EXCLUDED.timezone ELSE coalesce(c.timezone, EXCLUDED.timezone) END,
                           CASE WHEN s.has_language THEN EXCLUDED.language ELSE c.language END
                    FROM customer_import s WHERE s.phone = EXCLUDED.phone),
                updated_at = now()
            RETURNING c.id, c.phone, (c.xmax = 0) AS created
        )
        SELECT u.id, u.created
        FROM upserted u JOIN customer_import s ON s.phone = u.phone
        ORDER BY s.row_no
        """;

    /// <summary>
    /// An import is bulk work its client waits for: 100,000 rows take seconds alone but can pass the connection's
    /// 30-second default on a busy server, and failing it then would waste all of it. Per statement and COPY write.
    /// </summary>
    private static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(5);

    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private NpgsqlBinaryImporter? _copy;

    private CustomerImportSession(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlBinaryImporter copy)
    {
        _connection = connection;
        _transaction = transaction;
        _copy = copy;
    }

    /// <summary>Opens the transaction and its staging table, and starts the COPY that <see cref="WriteAsync"/> feeds.</summary>
    public static async Task<CustomerImportSession> BeginAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(CreateStaging, transaction: transaction, cancellationToken: cancellationToken));
            var copy = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
            copy.Timeout = BulkTimeout;
            return new CustomerImportSession(connection, transaction, copy);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stages validated rows; their phones must be distinct from each other and from every row staged before.</summary>
    public async Task WriteAsync(IReadOnlyList<StagedCustomer> rows, CancellationToken cancellationToken)
    {
        var writer = _copy ?? throw new InvalidOperationException("The import is already complete");
        foreach (var row in rows)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(row.RowNo, NpgsqlDbType.Integer, cancellationToken);
            await writer.WriteAsync(row.Phone, NpgsqlDbType.Text, cancellationToken);
            await WriteTextAsync(writer, row.FirstName, cancellationToken);
            await WriteTextAsync(writer, row.LastName, cancellationToken);
            await WriteTextAsync(writer, row.Location, cancellationToken);
            await WriteTextAsync(writer, row.PreferredProduct, cancellationToken);
            await writer.WriteAsync(row.OptedOut ?? false, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(row.OptedOut is not null, NpgsqlDbType.Boolean, cancellationToken);
            await writer.WriteAsync(row.Timezone, NpgsqlDbType.Text, cancellationToken);
            await writer.WriteAsync(row.TimezoneGiven, NpgsqlDbType.Boolean, cancellationToken);
            if (row.Language is null)
            {
                await writer.WriteNullAsync(cancellationToken);
            }
            else
            {
                await writer.WriteAsync(row.Language, NpgsqlDbType.Text, cancellationToken);
            }
            await writer.WriteAsync(row.LanguageGiven, NpgsqlDbType.Boolean, cancellationToken);
        }
    }

    /// <summary>Upserts every staged row by phone (on update only the fields a row gives overwrite) and commits.</summary>
    /// <returns>Per staged row, in row order: the customer's id and whether it was created (else updated).</returns>
    public async Task<IReadOnlyList<(long Id, bool Created)>> CompleteAsync(CancellationToken cancellationToken)
    {
        var writer = _copy ?? throw new InvalidOperationException("The import is already complete");
        await writer.CompleteAsync(cancellationToken);
        await writer.DisposeAsync();
        _copy = null;
        var timeout = (int)BulkTimeout.TotalSeconds;
        await _connection.ExecuteAsync(new CommandDefinition(IndexStaging, transaction: _transaction, commandTimeout: timeout,
            cancellationToken: cancellationToken));
        var landed = (await _connection.QueryAsync<(long, bool)>(new CommandDefinition(Upsert, transaction: _transaction,
            commandTimeout: timeout, cancellationToken: cancellationToken))).AsList();
        await _transaction.CommitAsync(cancellationToken);
        return landed;
    }

    /// <summary>Ends the session; a COPY still open is cancelled and an uncommitted transaction rolled back.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_copy is not null)
        {
            await _copy.DisposeAsync();
            _copy = null;
        }
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(value ?? "", NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(value is not null, NpgsqlDbType.Boolean, cancellationToken);
    }
}
