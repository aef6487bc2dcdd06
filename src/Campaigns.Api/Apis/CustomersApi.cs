namespace Campaigns.Api.Apis;

/// <summary>Customers: create, import, list, read, change, delete.</summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/customers").WithTags("Customers");
        return app;
    }
}
