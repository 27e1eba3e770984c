// One user-assigned managed identity per process. User-assigned rather than system-assigned: the
// identities exist before the apps, so their roles (storage, Key Vault, registry) are granted before
// the first start, and the role assignment names are known when the deployment starts.

@description('Azure region.')
param location string

@description('Identity of the Function App (the API).')
param apiIdentityName string

@description('Identity of the worker container.')
param workerIdentityName string

@description('Tags for every resource.')
param tags object

resource api 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: apiIdentityName
  location: location
  tags: tags
}

resource worker 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: workerIdentityName
  location: location
  tags: tags
}

output apiIdentityId string = api.id
output apiPrincipalId string = api.properties.principalId
output apiClientId string = api.properties.clientId
output workerIdentityId string = worker.id
output workerPrincipalId string = worker.properties.principalId
output workerClientId string = worker.properties.clientId
