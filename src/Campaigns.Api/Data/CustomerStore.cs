using Campaigns.Api.Paging;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace Campaigns.Api.Data;

/// <summary>Reads and writes customers. A phone taken by another customer is reported, not thrown.</summary>
public sealed class CustomerStore(NpgsqlDataSource dataSource)
{
    private const string PhoneKey = "customers_phone_key";

    public async Task<CustomerRow?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {CustomerRow.Columns} FROM customers WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CustomerRow>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Inserts the customer; the unique phone key, not a prior read, decides a duplicate.</summary>
    public async Task<CustomerWrite> CreateAsync(NewCustomer customer, CancellationToken cancellationToken)
    {
        var sql = $"""
            INSERT INTO customers (phone, first_name, last_name, location, preferred_product, opted_out)
            VALUES (@Phone, @FirstName, @LastName, @Location, @PreferredProduct, @OptedOut)
            RETURNING {CustomerRow.Columns}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            return new CustomerWrite(await connection.QuerySingleAsync<CustomerRow>(
                new CommandDefinition(sql, customer, cancellationToken: cancellationToken)), PhoneTaken: false);
        }
        catch (PostgresException e) when (IsPhoneTaken(e))
        {
            return new CustomerWrite(null, PhoneTaken: true);
        }
    }

    /// <returns>
    /// Up to <c>PageSize + 1</c> rows (the extra one says a next page exists; none for a page too deep) and the
    /// exact filtered total.
    /// </returns>
    public async Task<(IReadOnlyList<CustomerRow> Rows, long Total)> ListAsync(PageRequest page, CustomerFilter filter,
        CancellationToken cancellationToken)
    {
        const string where = """
            (@phone::text IS NULL OR phone = @phone)
              AND (@location::text IS NULL OR lower(location) = lower(@location))
              AND (@optedOut::boolean IS NULL OR opted_out = @optedOut)
            """;
        var rowsSql = $"""
            SELECT {CustomerRow.Columns} FROM customers
            WHERE {where}
              AND (@beforeId::bigint IS NULL OR id < @beforeId)
            ORDER BY id DESC
            LIMIT @limit OFFSET @offset;
            """;
        // Exact without counting the table: folded counts plus the deltas not yet folded (migration 0008).
        // A phone matches at most one customer (the unique key), so that filter is counted directly.
        var countSql = filter.Phone is not null ? $"SELECT count(*) FROM customers WHERE {where};"
            : filter.Location is not null ? """
                SELECT coalesce(sum(n), 0)::bigint FROM (
                    SELECT n FROM customer_location_counts
                    WHERE location_key = lower(@location) AND (@optedOut::boolean IS NULL OR opted_out = @optedOut)
                    UNION ALL
                    SELECT delta FROM customer_count_deltas
                    WHERE location_key = lower(@location) AND (@optedOut::boolean IS NULL OR opted_out = @optedOut)) counted;
                """
            : """
                SELECT coalesce(sum(n), 0)::bigint FROM (
                    SELECT n FROM customer_counts WHERE @optedOut::boolean IS NULL OR opted_out = @optedOut
                    UNION ALL
                    SELECT delta FROM customer_count_deltas WHERE @optedOut::boolean IS NULL OR opted_out = @optedOut) counted;
                """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(page.IsTooDeep ? countSql : rowsSql + countSql, new
        {
            phone = filter.Phone,
            location = filter.Location,
            optedOut = filter.OptedOut,
            beforeId = page.BeforeId,
            limit = page.PageSize + 1,
            offset = page.Offset,
        }, cancellationToken: cancellationToken));
        var rows = page.IsTooDeep ? [] : (await results.ReadAsync<CustomerRow>()).AsList();
        var total = await results.ReadSingleAsync<long>();
        return (rows, total);
    }

    /// <summary>Changes the non-null members; a null <c>Row</c> without <c>PhoneTaken</c> means no such customer.</summary>
    public async Task<CustomerWrite> UpdateAsync(long id, CustomerChanges changes, CancellationToken cancellationToken)
    {
        var sql = $"""
            UPDATE customers SET
                phone = coalesce(@Phone, phone),
                first_name = coalesce(@FirstName, first_name),
                last_name = coalesce(@LastName, last_name),
                location = coalesce(@Location, location),
                preferred_product = coalesce(@PreferredProduct, preferred_product),
                opted_out = coalesce(@OptedOut, opted_out),
                updated_at = now()
            WHERE id = @id
            RETURNING {CustomerRow.Columns}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var row = await connection.QuerySingleOrDefaultAsync<CustomerRow>(new CommandDefinition(sql, new
            {
                id,
                changes.Phone,
                changes.FirstName,
                changes.LastName,
                changes.Location,
                changes.PreferredProduct,
                changes.OptedOut,
            }, cancellationToken: cancellationToken));
            return new CustomerWrite(row, PhoneTaken: false);
        }
        catch (PostgresException e) when (IsPhoneTaken(e))
        {
            return new CustomerWrite(null, PhoneTaken: true);
        }
    }

    /// <summary>Deletes the customer; their messages go with them (ON DELETE CASCADE).</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        const string sql = "DELETE FROM customers WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>
    /// Upserts the rows by phone in one transaction: binary COPY into a staging table, then one
    /// <c>INSERT … ON CONFLICT</c>. On update only the fields a row gives overwrite. Phones must be distinct.
    /// </summary>
    /// <returns>Per row, in row order: the customer's id and whether it was created (else updated).</returns>
    public async Task<IReadOnlyList<(long Id, bool Created)>> ImportAsync(IReadOnlyList<StagedCustomer> rows,
        CancellationToken cancellationToken)
    {
        // ON COMMIT DROP: the table lives only as long as this transaction, whatever happens to the connection.
        const string createStaging = """
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
                has_opted_out         boolean NOT NULL
            ) ON COMMIT DROP
            """;
        const string copy = """
            COPY customer_import (row_no, phone, first_name, has_first_name, last_name, has_last_name, location, has_location,
                                  preferred_product, has_preferred_product, opted_out, has_opted_out)
            FROM STDIN (FORMAT BINARY)
            """;
        // The index serves the per-conflict lookup of the row's presence flags (EXCLUDED carries only the
        // table's columns) and the join back to row numbers.
        const string indexStaging = """
            CREATE UNIQUE INDEX ON customer_import (phone);
            ANALYZE customer_import;
            """;
        // Rows go in phone order so concurrent imports lock shared phones in the same order (no deadlock).
        // xmax = 0 only on a freshly inserted row version.
        const string upsert = """
            WITH upserted AS (
                INSERT INTO customers AS c (phone, first_name, last_name, location, preferred_product, opted_out)
                SELECT phone, first_name, last_name, location, preferred_product, opted_out
                FROM customer_import
                ORDER BY phone
                ON CONFLICT (phone) DO UPDATE SET
                    (first_name, last_name, location, preferred_product, opted_out) = (
                        SELECT CASE WHEN s.has_first_name THEN EXCLUDED.first_name ELSE c.first_name END,
                               CASE WHEN s.has_last_name THEN EXCLUDED.last_name ELSE c.last_name END,
                               CASE WHEN s.has_location THEN EXCLUDED.location ELSE c.location END,
                               CASE WHEN s.has_preferred_product THEN EXCLUDED.preferred_product ELSE c.preferred_product END,
                               CASE WHEN s.has_opted_out THEN EXCLUDED.opted_out ELSE c.opted_out END
                        FROM customer_import s WHERE s.phone = EXCLUDED.phone),
                    updated_at = now()
                RETURNING c.id, c.phone, (c.xmax = 0) AS created
            )
            SELECT u.id, u.created
            FROM upserted u JOIN customer_import s ON s.phone = u.phone
            ORDER BY s.row_no
            """;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(createStaging, transaction: transaction, cancellationToken: cancellationToken));
        await using (var writer = await connection.BeginBinaryImportAsync(copy, cancellationToken))
        {
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
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await connection.ExecuteAsync(new CommandDefinition(indexStaging, transaction: transaction, cancellationToken: cancellationToken));
        var landed = (await connection.QueryAsync<(long, bool)>(new CommandDefinition(upsert, transaction: transaction,
            cancellationToken: cancellationToken))).AsList();
        await transaction.CommitAsync(cancellationToken);
        return landed;
    }

    private static async Task WriteTextAsync(NpgsqlBinaryImporter writer, string? value, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(value ?? "", NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync(value is not null, NpgsqlDbType.Boolean, cancellationToken);
    }

    private static bool IsPhoneTaken(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == PhoneKey;
}

/// <summary>A customer to create: the phone in E.164, the texts as sent ("" when not given).</summary>
public sealed record NewCustomer(string Phone, string FirstName, string LastName, string Location, string PreferredProduct, bool OptedOut);

/// <summary>What a PATCH changes; null members stay as they are ("" clears a text).</summary>
public sealed record CustomerChanges(string? Phone, string? FirstName, string? LastName, string? Location, string? PreferredProduct, bool? OptedOut);

/// <summary>List filters; null means no filter. <c>Phone</c> is E.164, <c>Location</c> matches ignoring case.</summary>
public sealed record CustomerFilter(string? Phone, string? Location, bool? OptedOut);

/// <summary>The written row, or why there is none: the phone belongs to another customer (else: not found).</summary>
public readonly record struct CustomerWrite(CustomerRow? Row, bool PhoneTaken);

/// <summary>A validated import row: its 1-based row number, the E.164 phone, and the fields given (null: not given).</summary>
public readonly record struct StagedCustomer(int RowNo, string Phone, string? FirstName, string? LastName, string? Location,
    string? PreferredProduct, bool? OptedOut);
