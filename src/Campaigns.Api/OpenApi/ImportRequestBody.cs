using System.Text.Json.Nodes;
using Campaigns.Api.Customers.Import;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Campaigns.Api.OpenApi;

/// <summary>
/// The body of <c>POST /customers/import</c>, which the handler reads as a stream: a JSON array of rows
/// or a CSV file. A row that is not a valid customer does not fail the request (it is listed in
/// <c>rejected</c>), so the array's items are any JSON value, described rather than constrained.
/// </summary>
public static class ImportRequestBody
{
    public static Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/json"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Array,
                        MaxItems = CustomerImporter.MaxRows,
                        Items = new OpenApiSchema
                        {
                            Description = "A customer as in POST /customers (phone required). A row that is not is listed in "
                                + "`rejected` with its reason, and the other rows still land.",
                        },
                    },
                    Example = JsonNode.Parse("""
                        [
                          { "phone": "+254712345678", "first_name": "Amina", "location": "Nairobi", "preferred_product": "Shoes" },
                          { "phone": "0722 000 111", "first_name": "Juma", "opted_out": true, "timezone": "Africa/Kampala" }
                        ]
                        """),
                },
                ["text/csv"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "UTF-8 CSV whose header row names the columns by their JSON names (phone required)",
                    },
                    Example = JsonValue.Create("phone,first_name,location,timezone\n+254712345678,Amina,Nairobi,\n0722000111,Juma,Kampala,Africa/Kampala\n"),
                },
            },
        };
        return Task.CompletedTask;
    }
}
