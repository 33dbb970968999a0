// What only the printed list needs (how to refer, phones, email, website, addresses, hours in words)
// lives in small shards, details/<n>.json, fetched for the results that may be printed.

const shards = new Map(); // shard number -> Promise of its rows

function fetchShard(baseUrl, number) {
  if (!shards.has(number)) {
    const request = fetch(new URL(`${number}.json`, baseUrl), { credentials: "same-origin" })
      .then((response) => {
        if (!response.ok) throw new Error(`details ${number}: HTTP ${response.status}`);
        return response.json();
      })
      .catch((error) => {
        shards.delete(number); // try again next time
        throw error;
      });
    shards.set(number, request);
  }
  return shards.get(number);
}

function attach(record, row) {
  const [how = "", referralUrl = "", website = "", phones = [], locations = [], lastVerified = "", email = "", online = []] = row;
  const session = ([text, note = "", joinPhone = "", joinUrl = "", joinNotes = ""]) => ({ text, note, joinPhone, joinUrl, joinNotes });
  record.details = {
    how,
    referralUrl,
    website,
    email,
    lastVerified,
    phones: phones.map(([display, tel, description = ""]) => ({ display, tel, description })),
    places: locations.map(([name = "", address = "", postcode = "", hours = []]) => ({
      name,
      address,
      postcode,
      hours: hours.map(session),
    })),
    online: online.map(session),
  };
}

/** Make sure every record in `records` has .details; resolves when they all do. */
export async function loadDetails(records, baseUrl, shardSize) {
  const wanted = new Map();
  for (const record of records) {
    if (record.details) continue;
    const number = Math.floor(record.id / shardSize);
    if (!wanted.has(number)) wanted.set(number, []);
    wanted.get(number).push(record);
  }
  await Promise.all(
    [...wanted].map(async ([number, members]) => {
      const shard = await fetchShard(baseUrl, number);
      for (const record of members) attach(record, shard.records[record.id - shard.start] || []);
    }),
  );
}
