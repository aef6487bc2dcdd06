using System.Diagnostics;
using System.Text.Json;
using Campaigns.Api.Contracts;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Campaigns.Api.Customers.Import;

/// <summary>
/// Validates import rows as they stream in and lands the good ones in one set-based upsert. A row is
/// rejected (with its reason) when it has the wrong shape, no or an invalid phone, a text that breaks
/// its rule, or a phone an earlier accepted row of the same request already has; the others land.
/// </summary>
public sealed class CustomerImporter(PhoneNormalizer phones, CustomerStore store, ILogger<CustomerImporter> logger)
{
    public const int MaxRows = 100_000;

    public async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportAsync(IAsyncEnumerable<ImportRow> rows,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var staged = new List<StagedCustomer>();
        var rejected = new List<ImportRejection>();
        var firstRowOfPhone = new Dictionary<string, int>(StringComparer.Ordinal);
        var received = 0;
        try
        {
            await foreach (var row in rows.WithCancellation(cancellationToken))
            {
                if (++received > MaxRows)
                {
                    return ApiProblem.Validation("rows", $"an import holds at most {MaxRows:N0} rows; split it into several requests");
                }
                if (Problem(row, out var phone) is { } problem)
                {
                    rejected.Add(new ImportRejection(received, row.Phone ?? "", problem));
                }
                else if (!firstRowOfPhone.TryAdd(phone!, received))
                {
                    rejected.Add(new ImportRejection(received, row.Phone ?? "",
                        $"duplicate phone in request (first seen at row {firstRowOfPhone[phone!]})"));
                }
                else
                {
                    staged.Add(new StagedCustomer(received, phone!, row.FirstName, row.LastName, row.Location,
                        row.PreferredProduct, row.OptedOut));
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
        var parsed = Stopwatch.GetElapsedTime(started);

        IReadOnlyList<(long Id, bool Created)> landed = staged.Count == 0 ? [] : await store.ImportAsync(staged, cancellationToken);
        var created = landed.Count(l => l.Created);
        var ids = new long[landed.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = landed[i].Id;
        }
        Log.CustomersImported(logger, received, created, landed.Count - created, rejected.Count,
            (long)parsed.TotalMilliseconds, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Ok(new ImportResponse(received, created, landed.Count - created, rejected, ids));
    }

    /// <summary>Null when the row can land (with its E.164 phone), else every reason it cannot, joined.</summary>
    private string? Problem(in ImportRow row, out string? phone)
    {
        phone = null;
        if (row.ShapeError is not null)
        {
            return row.ShapeError;
        }
        var problems = Join(null, CustomerRules.PhoneProblem(phones, row.Phone, out phone));
        problems = Join(problems, CustomerRules.FirstNameProblem(row.FirstName));
        problems = Join(problems, CustomerRules.LastNameProblem(row.LastName));
        problems = Join(problems, CustomerRules.LocationProblem(row.Location));
        return Join(problems, CustomerRules.PreferredProductProblem(row.PreferredProduct));
    }

    private static string? Join(string? problems, string? problem) =>
        problem is null ? problems : problems is null ? problem : $"{problems}; {problem}";
}
