using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// Reads import rows as they stream in, validates them, and lands the good ones in one set-based upsert. A row is
/// rejected (with its reason) when it has the wrong shape, no or an invalid phone, a text that breaks
/// its rule, or a phone an earlier accepted row of the same request already has; the others land.
/// </summary>
public sealed class CustomerImporter(PhoneNormalizer phones, CustomerStore store, ILogger<CustomerImporter> logger)
{
    public const int MaxRows = 100_000;

    private const int ParallelCheckThreshold = 2_048;

    public async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportAsync(IAsyncEnumerable<ImportRow> rows,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var read = new List<ImportRow>();
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                if (read.Count == MaxRows)
                {
                    return ApiProblem.Validation("rows", $"an import holds at most {MaxRows:N0} rows; split it into several requests");
                }
                read.Add(row);
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

        var checks = Check(read, cancellationToken);
        var staged = new List<StagedCustomer>(read.Count);
        var rejected = new List<ImportRejection>();
        var firstRowOfPhone = new Dictionary<string, int>(read.Count, StringComparer.Ordinal);
        for (var i = 0; i < read.Count; i++)
        {
            var (row, rowNo, (problem, phone)) = (read[i], i + 1, checks[i]);
            if (problem is not null)
            {
                rejected.Add(new ImportRejection(rowNo, row.Phone ?? "", problem));
            }
            else if (!firstRowOfPhone.TryAdd(phone!, rowNo))
            {
                rejected.Add(new ImportRejection(rowNo, row.Phone ?? "",
                    $"duplicate phone in request (first seen at row {firstRowOfPhone[phone!]})"));
            }
            else
            {
                staged.Add(new StagedCustomer(rowNo, phone!, row.FirstName, row.LastName, row.Location, row.PreferredProduct, row.OptedOut));
            }
        }
        var received = read.Count;
        var validated = Stopwatch.GetElapsedTime(started);

        IReadOnlyList<(long Id, bool Created)> landed = staged.Count == 0 ? [] : await store.ImportAsync(staged, cancellationToken);
        var created = landed.Count(l => l.Created);
        var ids = new long[landed.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = landed[i].Id;
        }
        Log.CustomersImported(logger, received, created, landed.Count - created, rejected.Count,
            (long)validated.TotalMilliseconds, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Ok(new ImportResponse(received, created, landed.Count - created, rejected, ids));
    }

    /// <summary>
    /// Each row's problems, or its E.164 phone. Parsing phones is most of an import's CPU time and rows
    /// are independent, so a large import spreads it over the cores.
    /// </summary>
    private (string? Problem, string? Phone)[] Check(List<ImportRow> rows, CancellationToken cancellationToken)
    {
        var checks = new (string? Problem, string? Phone)[rows.Count];
        if (rows.Count < ParallelCheckThreshold)
        {
            for (var i = 0; i < rows.Count; i++)
            {
                checks[i] = Check(rows[i]);
            }
            return checks;
        }
        var options = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(Partitioner.Create(0, rows.Count, ParallelCheckThreshold), options, range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                checks[i] = Check(rows[i]);
            }
        });
        return checks;
    }

    /// <summary>Null and the E.164 phone when the row can land, else every reason it cannot, joined.</summary>
    private (string? Problem, string? Phone) Check(in ImportRow row)
    {
        if (row.ShapeError is not null)
        {
            return (row.ShapeError, null);
        }
        var problems = Join(null, CustomerRules.PhoneProblem(phones, row.Phone, out var phone));
        problems = Join(problems, CustomerRules.FirstNameProblem(row.FirstName));
        problems = Join(problems, CustomerRules.LastNameProblem(row.LastName));
        problems = Join(problems, CustomerRules.LocationProblem(row.Location));
        return (Join(problems, CustomerRules.PreferredProductProblem(row.PreferredProduct)), phone);
    }

    private static string? Join(string? problems, string? problem) =>
        problem is null ? problems : problems is null ? problem : $"{problems}; {problem}";
}
