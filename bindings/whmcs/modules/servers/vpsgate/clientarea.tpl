{* vpsgate: the service's details in the client area (vars from vpsgate_ClientArea). *}
<table class="table">
    <tr><td>Provider</td><td>{$provider|escape}</td></tr>
    <tr><td>Service id</td><td>{$service_id|escape}</td></tr>
    {if $domain}<tr><td>Domain</td><td>{$domain|escape}</td></tr>{/if}
    {if $dedicatedip}<tr><td>IP address</td><td>{$dedicatedip|escape}</td></tr>{/if}
    {if $username}<tr><td>Login</td><td>{$username|escape}</td></tr>{/if}
    {if $plan}<tr><td>Plan</td><td>{$plan|escape}</td></tr>{/if}
    {if $state}<tr><td>State</td><td>{$state|escape}</td></tr>{/if}
    {if $expires}<tr><td>Paid until</td><td>{$expires|escape}</td></tr>{/if}
    {if $error}<tr><td colspan="2">{$error|escape}</td></tr>{/if}
</table>
