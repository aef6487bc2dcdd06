using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Validation;
using Campaigns.Core.Customers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// Reads import rows as they stream in, a chunk at a time: validates each chunk, stages its good rows in
/// Postgres at once (<see cref="CustomerImportSession"/>), and lands them all in one set-based upsert at the
/// end, so an import holds one chunk of rows, not its body. A row is rejected (with its reason) when it has
/// the wrong shape, no or an invalid phone, a text or zone that breaks its rule, or a phone an earlier accepted
/// row of the same request already has; the others land. A body that fails as a whole lands nothing.
/// </summary>
public sealed class CustomerImporter(PhoneNormalizer phones, TimeZoneCatalog timeZones, CustomerStore store,
    ILogger<CustomerImporter> logger)
{
    public const int MaxRows = 100_000;

    /// <summary>Rows read before they are checked and staged: what one import holds in memory besides its answer.</summary>
    private const int ChunkRows = 8_192;

    private const int ParallelCheckThreshold = 2_048;

    public async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportAsync(IAsyncEnumerable<ImportRow> rows,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var import = new ImportState(await timeZones.GetAsync(cancellationToken));
        try
        {
            var chunk = new List<ImportRow>(ChunkRows);
            try
            {
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    if (import.Received == MaxRows)
                    {
                        return ApiProblem.Validation("rows", $"an import holds at most {MaxRows:N0} rows; split it into several requests");
                    }
                    import.Received++;
                    chunk.Add(row);
                    if (chunk.Count == ChunkRows)
                    {
                        await StageAsync(import, chunk, cancellationToken);
                        chunk.Clear();
                    }
                }
            }
            catch (JsonException e)
            {
                return ApiProblem.InvalidJson(e.Path is { Length: > 1 } path
                    ? $"The import body is not valid JSON (at {path})"
                    : "The import body is not valid JSON");
            }
            catch (ImportBodyException e)
            {
                return e.Code == ErrorCodes.InvalidJson ? ApiProblem.InvalidJson(e.Message) : ApiProblem.Validation(e.Field, e.Message);
            }
            await StageAsync(import, chunk, cancellationToken);

            IReadOnlyList<(long Id, bool Created)> landed = import.Session is { } session ? await session.CompleteAsync(cancellationToken) : [];
            var created = 0;
            var ids = new long[landed.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = landed[i].Id;
                created += landed[i].Created ? 1 : 0;
            }
            Log.CustomersImported(logger, import.Received, created, landed.Count - created, import.Rejections.Count,
                (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return TypedResults.Ok(new ImportResponse(import.Received, created, landed.Count - created, import.Rejections.Listed, ids));
        }
        finally
        {
            if (import.Session is not null)
            {
                await import.Session.DisposeAsync();
            }
        }
    }

    /// <summary>Checks a chunk of rows (the last <paramref name="chunk"/>.Count received) and stages the good ones.</summary>
    private async Task StageAsync(ImportState import, List<ImportRow> chunk, CancellationToken cancellationToken)
    {
        var checks = Check(chunk, import.Zones, cancellationToken);
        var firstRowNo = import.Received - chunk.Count + 1;
        var staged = new List<StagedCustomer>(chunk.Count);
        for (var i = 0; i < chunk.Count; i++)
        {
            var (row, rowNo, (problem, phone, timezone, language)) = (chunk[i], firstRowNo + i, checks[i]);
            if (problem is not null)
            {
                import.Rejections.Add(rowNo, row.Phone, problem);
            }
            else if (!import.FirstRowOfPhone.TryAdd(phone!, rowNo))
            {
                import.Rejections.Add(rowNo, row.Phone, $"duplicate phone in request (first seen at row {import.FirstRowOfPhone[phone!]})");
            }
            else
            {
                staged.Add(new StagedCustomer(rowNo, phone!, row.FirstName, row.LastName, row.Location, row.PreferredProduct, row.OptedOut,
                    timezone!, TimezoneGiven: row.Timezone is not null) { Language = language, LanguageGiven = row.Language is not null });
            }
        }
        if (staged.Count > 0)
        {
            // Opened with the first good row: an import of bad rows only, or one refused early, takes no connection.
            import.Session ??= await store.BeginImportAsync(cancellationToken);
            await import.Session.WriteAsync(staged, cancellationToken);
        }
    }

    /// <summary>
    /// Each row's problems, or its E.164 phone and zone. Parsing phones is most of an import's CPU time and rows
    /// are independent, so a large chunk spreads it over the cores.
    /// </summary>
    private RowCheck[] Check(List<ImportRow> rows, CustomerTimeZones zones, CancellationToken cancellationToken)
    {
        var checks = new RowCheck[rows.Count];
        if (rows.Count < ParallelCheckThreshold)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                checks[i] = Check(rows[i], zones);
            }
            return checks;
        }
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(Partitioner.Create(0, rows.Count, ParallelCheckThreshold), options, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                checks[i] = Check(rows[i], zones);
            }
        });
        return checks;
    }

    /// <summary>
    /// No problem, the E.164 phone and the zone (given, else the phone's) when the row can land, else every
    /// reason it cannot, joined.
    /// </summary>
    private RowCheck Check(in ImportRow row, CustomerTimeZones zones)
    {
        if (row.ShapeError is not null)
        {
            return new RowCheck(row.ShapeError, null, null, null);
        }
        var problems = Join(null, CustomerRules.PhoneProblem(phones, row.Phone, out var phone));
        problems = Join(problems, CustomerRules.FirstNameProblem(row.FirstName));
        problems = Join(problems, CustomerRules.LastNameProblem(row.LastName));
        problems = Join(problems, CustomerRules.LocationProblem(row.Location));
        problems = Join(problems, CustomerRules.PreferredProductProblem(row.PreferredProduct));
        if (row.Timezone is not null)
        {
            problems = Join(problems, CustomerRules.TimezoneProblem(zones, row.Timezone));
        }
        string? language = null;
        if (row.Language is { Length: > 0 })
        {
            problems = Join(problems, CampaignRules.LanguageProblem("language", row.Language, out language));
        }
        return problems is not null
            ? new RowCheck(problems, null, null, null)
            : new RowCheck(null, phone, row.Timezone ?? zones.ForPhone(phone!), language);
    }

    private static string? Join(string? problems, string? problem) =>
        problem is null ? problems : problems is null ? problem : $"{problems}; {problem}";

    private readonly record struct RowCheck(string? Problem, string? Phone, string? Timezone, string? Language);

    /// <summary>What an import has read so far: rows counted, phones accepted (for duplicates), rejections, and its writes.</summary>
    private sealed class ImportState(CustomerTimeZones zones)
    {
        public readonly CustomerTimeZones Zones = zones;
        public int Received;
        public readonly Dictionary<string, int> FirstRowOfPhone = new(StringComparer.Ordinal);
        public readonly ImportRejections Rejections = new();
        public CustomerImportSession? Session;
    }
}
