using System.ComponentModel.DataAnnotations;
using Microsoft.OpenApi;
using Campaigns.Api.OpenApi;
using System.Net.Http.Headers;
using Campaigns.Api.Contracts;
using Campaigns.Api.Customers;
using Campaigns.Api.Customers.Import;
using Campaigns.Api.Security;
using Campaigns.Api.Data;
using Campaigns.Api.Errors;
using Campaigns.Api.Paging;
using Campaigns.Api.Validation;
using Microsoft.AspNetCore.Http.HttpResults;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Campaigns.Api.Apis;

/// <summary>Customers: create, import, list, read, change, delete. Phones are stored in E.164.</summary>
public static class CustomersApi
{
    private const string FieldRules = """
        phone: required; any usual form, stored in E.164 (without + it is read in the default region, Customers:DefaultRegion,
        KE unless set); digits, spaces, - . ( ) / and a leading + only; must be a valid number. first_name, last_name, location:
        at most 100 code points; preferred_product: at most 200; stored exactly as sent, no NUL. An absent or null text is "";
        an absent or null opted_out is false on create and unchanged on PATCH, where a null text clears the field and a null
        phone is refused. timezone: an IANA name spelt exactly (Africa/Nairobi) that the server knows; Windows names are
        refused. Absent or null on create: the first zone libphonenumber gives for the phone (UTC when none). On PATCH a null
        timezone is derived from the phone again, and a new phone without a timezone moves a derived zone to the new phone's
        (a zone equal to the old phone's counts as derived); a zone given otherwise stays. language: a BCP 47 primary subtag
        (en, sw, fr; any case, stored lowercase); absent or null: none (each send derives it); on PATCH null clears it.
        """;

    private const string ImportRules = """
        Body: a JSON array of customer objects (application/json), or text/csv (UTF-8, comma-separated, RFC 4180 quotes) whose
        header row names the columns by their JSON names (case-insensitive; unknown columns ignored; phone required). Rows are
        upserted by normalized phone; on update only the members of a row (the columns of the file) overwrite. A row is rejected,
        and the others still land, when it is not an object, has a member of the wrong type, has no or an invalid phone, repeats
        the phone of an earlier accepted row, or breaks a field rule. CSV: blank lines are skipped; an empty opted_out cell leaves
        it unchanged; true/false otherwise. timezone follows the rules of create; an empty cell or a null gives none: a new
        customer (or one still without a zone) gets the phone's, an existing one keeps theirs. language follows the rules of
        create; given, it overwrites, and an empty cell or a null clears it. At most 100,000 rows and 64 MB.
        The answer lists the first 1,000 rejected rows (received - created - updated counts them all), each phone echoed up to
        40 characters. A few imports run at once per API process (RateLimits:ImportConcurrency); one more is 429.
        """;

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/customers").WithTags("Customers").WithSingleQueryValues();

        group.MapPost("/", CreateCustomer).WithName(nameof(CreateCustomer))
            .WithSummary("Create a customer; the phone is normalized to E.164")
            .WithDescription(FieldRules)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/import", ImportCustomers).WithName(nameof(ImportCustomers))
            .WithSummary("Create or update up to 100,000 customers by phone, from a JSON array or a CSV file with a header row")
            .WithDescription(ImportRules)
            .AddOpenApiOperationTransformer(ImportRequestBody.TransformAsync)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithConcurrencyLimit(ConcurrencyLimits.Import);
        group.MapGet("/", ListCustomers).WithName(nameof(ListCustomers))
            .WithSummary("List customers, newest first; filter by phone, location, opted_out")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetCustomer).WithName(nameof(GetCustomer))
            .WithSummary("Get a customer")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{id}", UpdateCustomer).WithName(nameof(UpdateCustomer))
            .WithSummary("Change the fields given; null clears a text field")
            .WithDescription(FieldRules)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapDelete("/{id}", DeleteCustomer).WithName(nameof(DeleteCustomer))
            .AddOpenApiOperationTransformer(IgnoredRequestBody.TransformAsync)
            .WithSummary("Delete a customer and their messages")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<CustomerResponse>, ProblemHttpResult>> CreateCustomer(
        CreateCustomerRequest request, CustomerStore store, PhoneNormalizer phones, TimeZoneCatalog timeZones,
        CancellationToken cancellationToken)
    {
        var zones = await timeZones.GetAsync(cancellationToken);
        var errors = new ValidationErrors();
        var phone = CustomerRules.CheckPhone(errors, phones, request.Phone);
        CustomerRules.CheckTexts(errors, request.FirstName, request.LastName, request.Location, request.PreferredProduct);
        CustomerRules.CheckTimezone(errors, zones, request.Timezone);
        var language = CustomerRules.CheckLanguage(errors, request.Language);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var customer = new NewCustomer(phone!, request.FirstName ?? "", request.LastName ?? "", request.Location ?? "",
            request.PreferredProduct ?? "", request.OptedOut ?? false, request.Timezone ?? zones.ForPhone(phone!), language);
        var write = await store.CreateAsync(customer, cancellationToken);
        return write.Row is { } row
            ? TypedResults.Created($"/customers/{row.Id}", row.ToResponse(zones))
            : ApiProblem.DuplicatePhone(phone!);
    }

    public static async Task<Results<Ok<ImportResponse>, ProblemHttpResult>> ImportCustomers(
        HttpRequest request, CustomerImporter importer, IOptions<HttpJsonOptions> json, CancellationToken cancellationToken)
    {
        RequestLimits.AllowBody(request.HttpContext, RequestLimits.ImportMaxBodyBytes);
        IAsyncEnumerable<ImportRow> rows;
        if (request.HasJsonContentType())
        {
            rows = JsonImportReader.ReadAsync(request.BodyReader, json.Value.SerializerOptions, cancellationToken);
        }
        else if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
                 && string.Equals(type.MediaType, "text/csv", StringComparison.OrdinalIgnoreCase))
        {
            rows = CsvImportReader.ReadAsync(request.Body, cancellationToken);
        }
        else
        {
            return ApiProblem.UnsupportedMediaType(
                "The import body must be application/json (an array of customers) or text/csv (with a header row)");
        }
        return await importer.ImportAsync(rows, cancellationToken);
    }

    public static async Task<Results<Ok<PagedResponse<CustomerResponse>>, ProblemHttpResult>> ListCustomers(
        [WireType(JsonSchemaType.Integer)] string? page, [FromQuery(Name = "page_size"), WireType(JsonSchemaType.Integer)] string? pageSize, string? cursor,
        string? phone, [MaxLength(CustomerRules.MaxLocationLength)] string? location,
        [FromQuery(Name = "opted_out"), WireType(JsonSchemaType.Boolean)] string? optedOut,
        CustomerStore store, PhoneNormalizer phones, TimeZoneCatalog timeZones, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pageRequest = PageRequest.Parse(page, pageSize, cursor, errors);
        string? normalizedPhone = null;
        if (phone is not null && !phones.TryNormalize(phone, out normalizedPhone))
        {
            errors.Add("phone", phones.InvalidMessage);
        }
        // Like the enum filters, exact: true or false.
        bool? optedOutFilter = optedOut switch
        {
            null => null,
            "true" => true,
            "false" => false,
            _ => Invalid(errors, "opted_out", "opted_out must be true or false"),
        };
        // A filter value is compared with stored text, so it obeys the same rules (found by the fuzz test: NUL).
        TextRules.CheckOptional(errors, "location", location, CustomerRules.MaxLocationLength);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var filter = new CustomerFilter(normalizedPhone, location, optedOutFilter);
        var (rows, total) = await store.ListAsync(pageRequest, filter, cancellationToken);
        if (pageRequest.DepthProblem(total) is { } tooDeep)
        {
            return tooDeep;
        }
        var zones = await timeZones.GetAsync(cancellationToken);
        return TypedResults.Ok(PagedResponse<CustomerResponse>.From(pageRequest, rows, total, r => r.Id, r => r.ToResponse(zones)));
    }

    private static bool? Invalid(ValidationErrors errors, string field, string message)
    {
        errors.Add(field, message);
        return null;
    }

    public static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> GetCustomer(
        PathId id, CustomerStore store, TimeZoneCatalog timeZones, CancellationToken cancellationToken)
    {
        var row = await store.GetAsync(id, cancellationToken);
        return row is null ? ApiProblem.CustomerNotFound(id) : TypedResults.Ok(row.ToResponse(await timeZones.GetAsync(cancellationToken)));
    }

    public static async Task<Results<Ok<CustomerResponse>, ProblemHttpResult>> UpdateCustomer(
        PathId id, UpdateCustomerRequest request, CustomerStore store, PhoneNormalizer phones, TimeZoneCatalog timeZones,
        CancellationToken cancellationToken)
    {
        var zones = await timeZones.GetAsync(cancellationToken);
        var errors = new ValidationErrors();
        string? phone = null;
        if (request.Phone.HasValue)
        {
            phone = CustomerRules.CheckPhone(errors, phones, request.Phone.Value);
        }
        // A present null clears a text field: it becomes "".
        var changes = new CustomerChanges(
            phone,
            request.FirstName.HasValue ? request.FirstName.Value ?? "" : null,
            request.LastName.HasValue ? request.LastName.Value ?? "" : null,
            request.Location.HasValue ? request.Location.Value ?? "" : null,
            request.PreferredProduct.HasValue ? request.PreferredProduct.Value ?? "" : null,
            request.OptedOut.Value,
            // A present null derives the zone from the phone again.
            request.Timezone switch
            {
                { HasValue: false } => TimezoneChange.Keep,
                { Value: null } => TimezoneChange.Rederive,
                { Value: var zone } => TimezoneChange.To(zone),
            })
        {
            SetLanguage = request.Language.HasValue,
            Language = CustomerRules.CheckLanguage(errors, request.Language.Value),
        };
        CustomerRules.CheckTexts(errors, changes.FirstName, changes.LastName, changes.Location, changes.PreferredProduct);
        CustomerRules.CheckTimezone(errors, zones, changes.Timezone.Given);
        if (errors.Any)
        {
            return errors.ToProblem();
        }

        var write = await store.UpdateAsync(id, changes, zones, cancellationToken);
        return write switch
        {
            { Row: { } row } => TypedResults.Ok(row.ToResponse(zones)),
            { PhoneTaken: true } => ApiProblem.DuplicatePhone(phone!),
            _ => ApiProblem.CustomerNotFound(id),
        };
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteCustomer(
        PathId id, CustomerStore store, CancellationToken cancellationToken)
    {
        return await store.DeleteAsync(id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiProblem.CustomerNotFound(id);
    }
}
