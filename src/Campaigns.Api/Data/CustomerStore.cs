using Campaigns.Api.Paging;
using Campaigns.Core.Customers;
using Dapper;
using Npgsql;

namespace Campaigns.Api.Data;

/// <summary>Reads and writes customers. A phone taken by another customer is reported, not thrown.</summary>
public sealed class CustomerStore(NpgsqlDataSource dataSource, ReadReplica replica)
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
        const string insert = """
            INSERT INTO customers (phone, first_name, last_name, location, preferred_product, opted_out, timezone, language)
            VALUES (@Phone, @FirstName, @LastName, @Location, @PreferredProduct, @OptedOut, @Timezone, @Language)
            RETURNING id
            """;
        // Read after the insert's statement triggers: a phone suppressed before this customer existed reads opted out.
        // In the insert's transaction, so the answer is the row as created: no other request can see it, let alone
        // change it, before this one has read it.
        const string read = $"SELECT {CustomerRow.Columns} FROM customers WHERE id = @id";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert, customer, transaction, cancellationToken: cancellationToken));
            var created = await connection.QuerySingleAsync<CustomerRow>(
                new CommandDefinition(read, new { id }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return new CustomerWrite(created, PhoneTaken: false);
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
        string?[] filters =
        [
            filter.Phone is null ? null : $"phone = {ListConditions.Value("@phone")}",
            filter.Location is null ? null : $"lower(location) = lower({ListConditions.Value("@location")})",
            filter.OptedOut is null ? null : $"opted_out = {ListConditions.Value("@optedOut")}",
        ];
        var rowsSql = $"""
            SELECT {CustomerRow.Columns} FROM customers
            {ListConditions.Where([.. filters, page.BeforeCondition()])}
            ORDER BY id DESC {page.LimitSql};
            """;
        // Exact without counting the table: folded counts plus the deltas not yet folded (migration 0008).
        // A phone matches at most one customer (the unique key), so that filter is counted directly.
        var countSql = filter.Phone is not null ? $"SELECT count(*) FROM customers {ListConditions.Where(filters)};"
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
        return await replica.ReadAsync<(IReadOnlyList<CustomerRow>, long)>(async connection =>
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(page.IsTooDeep ? countSql : rowsSql + countSql, new
            {
                phone = filter.Phone,
                location = filter.Location,
                optedOut = filter.OptedOut,
                beforeId = page.BeforeId,
            }, cancellationToken: cancellationToken));
            var rows = page.IsTooDeep ? [] : (await results.ReadAsync<CustomerRow>()).AsList();
            var total = await results.ReadSingleAsync<long>();
            return (rows, total);
        }, cancellationToken);
    }

    /// <summary>
    /// Changes the non-null members; a null <c>Row</c> without <c>PhoneTaken</c> means no such customer. When the
    /// zone to store depends on the stored phone and zone (<see cref="TimezoneChange"/>), they are read under
    /// the row's lock first, in the update's transaction.
    /// </summary>
    public async Task<CustomerWrite> UpdateAsync(long id, CustomerChanges changes, CustomerTimeZones zones, CancellationToken cancellationToken)
    {
        const string storedSql = "SELECT phone, timezone FROM customers WHERE id = @id FOR UPDATE";
        var sql = $"""
            UPDATE customers SET
                phone = coalesce(@Phone, phone),
                first_name = coalesce(@FirstName, first_name),
                last_name = coalesce(@LastName, last_name),
                location = coalesce(@Location, location),
                preferred_product = coalesce(@PreferredProduct, preferred_product),
                opted_out = coalesce(@OptedOut, opted_out),
                timezone = coalesce(@Timezone, timezone),
                language = CASE WHEN @SetLanguage THEN @Language ELSE language END,
                updated_at = now()
            WHERE id = @id
            RETURNING {CustomerRow.Columns}
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var readsStored = changes.Timezone.NeedsStored(changes.Phone);
        await using var transaction = readsStored ? await connection.BeginTransactionAsync(cancellationToken) : null;
        var timezone = changes.Timezone.Given;
        if (readsStored)
        {
            var stored = await connection.QuerySingleOrDefaultAsync<StoredZone>(new CommandDefinition(storedSql, new { id },
                transaction, cancellationToken: cancellationToken));
            if (stored is null)
            {
                return new CustomerWrite(null, PhoneTaken: false);
            }
            timezone = changes.Timezone.Resolve(stored.Phone, stored.Timezone, changes.Phone, zones);
        }
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
                Timezone = timezone,
                changes.SetLanguage,
                changes.Language,
            }, transaction, cancellationToken: cancellationToken));
            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
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

    /// <summary>Begins an import: rows are staged as they stream in and land together, or not at all.</summary>
    public Task<CustomerImportSession> BeginImportAsync(CancellationToken cancellationToken) =>
        CustomerImportSession.BeginAsync(dataSource, cancellationToken);

    private static bool IsPhoneTaken(PostgresException e) =>
        e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == PhoneKey;
}

/// <summary>A customer to create: the phone in E.164, the texts as sent ("" when not given), the zone given or derived.</summary>
public sealed record NewCustomer(string Phone, string FirstName, string LastName, string Location, string PreferredProduct, bool OptedOut,
    string Timezone, string? Language = null);

/// <summary>What a PATCH changes; null members stay as they are ("" clears a text).</summary>
public sealed record CustomerChanges(string? Phone, string? FirstName, string? LastName, string? Location, string? PreferredProduct, bool? OptedOut,
    TimezoneChange Timezone)
{
    /// <summary>When set, the language becomes <see cref="Language"/> (null clears it).</summary>
    public bool SetLanguage { get; init; }
    public string? Language { get; init; }
}

/// <summary>The stored phone and zone a PATCH's zone may depend on.</summary>
public sealed record StoredZone(string Phone, string? Timezone);

/// <summary>List filters; null means no filter. <c>Phone</c> is E.164, <c>Location</c> matches ignoring case.</summary>
public sealed record CustomerFilter(string? Phone, string? Location, bool? OptedOut);

/// <summary>The written row, or why there is none: the phone belongs to another customer (else: not found).</summary>
public readonly record struct CustomerWrite(CustomerRow? Row, bool PhoneTaken);

/// <summary>
/// A validated import row: its 1-based row number, the E.164 phone, the fields given (null: not given), and its
/// zone: the one given (<paramref name="TimezoneGiven"/>), else the phone's, for a new customer or one without a zone.
/// </summary>
public readonly record struct StagedCustomer(int RowNo, string Phone, string? FirstName, string? LastName, string? Location,
    string? PreferredProduct, bool? OptedOut, string Timezone, bool TimezoneGiven)
{
    /// <summary>The language to store when <see cref="LanguageGiven"/> (null: none); else the customer's stays.</summary>
    public string? Language { get; init; }
    public bool LanguageGiven { get; init; }
}
