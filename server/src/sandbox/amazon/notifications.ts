import { randomUUID } from "node:crypto";
import type { AmazonListing } from "../sandbox.state";
import { issuesIn, summaryStatus } from "./amazon.render";

const APPLICATION_ID = "amzn1.sellerapps.app.sandbox-0000-0000-0000-000000000000";
const SUBSCRIPTION_ID = "sandbox-subscription";

function metadata(now: number): Record<string, string> {
  return {
    ApplicationId: APPLICATION_ID,
    SubscriptionId: SUBSCRIPTION_ID,
    PublishTime: new Date(now).toISOString(),
    NotificationId: randomUUID(),
  };
}

/** The envelope of the listings and FBA notifications (their schemas spell the keys capitalised). */
function envelope(
  type: string,
  payloadVersion: string,
  payload: Record<string, unknown>,
  now: number,
): Record<string, unknown> {
  return {
    NotificationVersion: "1.0",
    NotificationType: type,
    PayloadVersion: payloadVersion,
    EventTime: new Date(now).toISOString(),
    Payload: payload,
    NotificationMetadata: metadata(now),
  };
}

/** LISTINGS_ITEM_MFN_QUANTITY_CHANGE, sent when a seller-fulfilled quantity changes. */
export function mfnQuantityChange(
  sellerId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  return envelope(
    "LISTINGS_ITEM_MFN_QUANTITY_CHANGE",
    "1.0",
    { SellerId: sellerId, FulfillmentChannelCode: "DEFAULT", Sku: listing.sku, Quantity: listing.quantity },
    now,
  );
}

/** LISTINGS_ITEM_STATUS_CHANGE, sent when buyability or discoverability changes (type as its schema spells it). */
export function statusChange(
  sellerId: string,
  marketplaceId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  return envelope(
    "LISTINGS_ITEM_STATUS_CHANGED",
    "1.0",
    {
      SellerId: sellerId,
      MarketplaceId: marketplaceId,
      ...(listing.asin ? { Asin: listing.asin } : {}),
      Sku: listing.sku,
      CreatedDate: new Date(listing.createdAt).toISOString(),
      Status: listing.deleted ? ["DELETED"] : summaryStatus(listing),
    },
    now,
  );
}

/** FBA_INVENTORY_AVAILABILITY_CHANGES, sent when Amazon-fulfilled quantities change. */
export function fbaAvailabilityChange(
  sellerId: string,
  marketplaceId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  return envelope(
    "FBA_INVENTORY_AVAILABILITY_CHANGES",
    "1.0",
    {
      SellerId: sellerId,
      FNSKU: listing.fnSku,
      ASIN: listing.asin,
      SKU: listing.sku,
      FulfillmentInventoryByMarketplace: [
        {
          MarketplaceId: marketplaceId,
          ItemName: listing.title,
          FulfillmentInventory: {
            InboundQuantityBreakdown: {
              Working: listing.fba.inboundWorking,
              Shipped: listing.fba.inboundShipped,
              Receiving: listing.fba.inboundReceiving,
            },
            Fulfillable: listing.quantity,
            Unfulfillable: listing.fba.unfulfillable,
            Researching: listing.fba.researching,
            ReservedQuantityBreakdown: {
              WarehouseProcessing: listing.fba.reservedFcProcessing,
              WarehouseTransfer: listing.fba.reservedFcTransfers,
              PendingCustomerOrder: listing.fba.reservedCustomerOrders,
            },
            FutureSupplyBuyable: 0,
            PendingCustomerOrderInTransit: 0,
          },
          Stores: [],
        },
      ],
    },
    now,
  );
}

/** LISTINGS_ITEM_ISSUES_CHANGE (payload version 2023-12-13), sent when a listing gains or loses an issue. */
export function issuesChange(
  sellerId: string,
  marketplaceId: string,
  listing: AmazonListing,
  now: number,
): Record<string, unknown> {
  const issues = issuesIn(listing, [marketplaceId]);
  const severities = [...new Set(issues.map((i) => i.severity))];
  return envelope(
    "LISTINGS_ITEM_ISSUES_CHANGE",
    "2023-12-13",
    {
      SellerId: sellerId,
      MarketplaceId: marketplaceId,
      ...(listing.asin ? { Asin: listing.asin } : {}),
      Sku: listing.sku,
      Severities: severities.length ? severities : ["NONE"],
      EnforcementActions: issues.some((i) => i.suppresses) ? ["LISTING_SUPPRESSED"] : [],
    },
    now,
  );
}

/** FEED_PROCESSING_FINISHED, sent when a feed reaches DONE, FATAL or CANCELLED. */
export function feedProcessingFinished(
  sellerId: string,
  feed: { feedId: string; feedType: string; processingStatus: string; resultFeedDocumentId?: string },
  now: number,
): Record<string, unknown> {
  const meta = metadata(now);
  return {
    notificationVersion: "2020-09-04",
    notificationType: "FEED_PROCESSING_FINISHED",
    payloadVersion: "2020-09-04",
    eventTime: new Date(now).toISOString(),
    payload: {
      feedProcessingFinishedNotification: {
        sellerId,
        accountId: `amzn1.merchant.o.${sellerId}`,
        feedId: feed.feedId,
        feedType: feed.feedType,
        processingStatus: feed.processingStatus,
        ...(feed.resultFeedDocumentId ? { resultFeedDocumentId: feed.resultFeedDocumentId } : {}),
      },
    },
    notificationMetadata: {
      applicationId: meta.ApplicationId,
      subscriptionId: meta.SubscriptionId,
      publishTime: meta.PublishTime,
      notificationId: meta.NotificationId,
    },
  };
}
