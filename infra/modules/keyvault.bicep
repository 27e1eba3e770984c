// Key Vault for VeloZ's secrets: the Binance API key and secret and the API's bootstrap admin key (set
// by the operator with `az keyvault secret set`, never by the template, so a redeployment can't
// overwrite them) and the SignalR connection string (written here from the service's keys, never output). The apps read them
// as Key Vault references with their managed identities. RBAC authorization, no access policies.

@description('Azure region.')
param location string

@description('Key Vault name (3-24 letters, digits and hyphens, globally unique).')
@minLength(3)
@maxLength(24)
param name string

@description('SignalR Service whose primary connection string is stored.')
param signalRName string

@description('Secret names, shared with the apps\' settings.')
param secretNames {
  binanceApiKey: string
  binanceApiSecret: string
  adminApiKey: string
  signalRConnectionString: string
}

@description('Principals (managed identities) that read the secrets, each with a stable id used to name its role assignment.')
param readers {
  id: string
  principalId: string
}[]

@description('Object id of whoever may set secrets (Key Vault Secrets Officer); empty = nobody.')
param operatorObjectId string

@description('Tags for every resource.')
param tags object

var keyVaultSecretsUser = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
var keyVaultSecretsOfficer = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7')

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    // The shortest retention, so a torn-down test deployment frees the name after a week.
    softDeleteRetentionInDays: 7
    // Key Vault references from Flex Consumption do not work through a network-restricted vault.
    publicNetworkAccess: 'Enabled'
  }
}

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

resource signalRConnectionString 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = {
  parent: vault
  name: secretNames.signalRConnectionString
  properties: {
    value: signalR.listKeys().primaryConnectionString
    contentType: 'Azure SignalR Service connection string'
  }
}

resource readerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for reader in readers: {
    name: guid(vault.id, reader.id, keyVaultSecretsUser)
    scope: vault
    properties: {
      roleDefinitionId: keyVaultSecretsUser
      principalId: reader.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource officerRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(operatorObjectId)) {
  name: guid(vault.id, operatorObjectId, keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: keyVaultSecretsOfficer
    principalId: operatorObjectId
  }
}

output name string = vault.name
output vaultUri string = vault.properties.vaultUri
