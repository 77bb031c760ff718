// The word lists shipped with the world's `lists` family. Short, common, lowercase ASCII words;
// no word belongs to two categories, and words with a second meaning in another category
// (orange, lime, peach, plum, olive, kiwi, turkey, salmon, chad, jordan, ...) are left out, so
// "is this item in the category" has exactly one answer.

/** The list categories, in the order questions name them. */
export const listCategories = ["animals", "colors", "fruits", "countries"] as const;

export type ListCategory = typeof listCategories[number];

/** Sixteen words per category (a level-3 count violation needs at most 7 distinct words). */
export const worldWords: Readonly<Record<ListCategory, readonly string[]>> = {
    animals: ["cat", "dog", "fox", "cow", "pig", "owl", "bee", "ant", "hen", "rat", "goat", "wolf", "bear", "lion", "duck", "frog"],
    colors: ["red", "blue", "green", "black", "white", "pink", "gray", "brown", "purple", "yellow", "cyan", "gold", "silver", "violet", "beige", "navy"],
    fruits: ["apple", "pear", "grape", "mango", "banana", "melon", "fig", "date", "guava", "papaya", "lychee", "quince", "apricot", "coconut", "durian", "pomelo"],
    countries: ["france", "spain", "italy", "japan", "china", "india", "peru", "chile", "cuba", "egypt", "kenya", "mali", "nepal", "brazil", "canada", "norway"]
};

const categoryByWord = new Map<string, ListCategory>();
for (const category of listCategories) {
    for (const word of worldWords[category]) {
        if (categoryByWord.has(word)) throw new Error(`world word '${word}' is in two categories`);
        categoryByWord.set(word, category);
    }
}

/** The category of a word (case-insensitive), or null when the world does not know it. */
export function categoryOf(word: string): ListCategory | null {
    return categoryByWord.get(word.toLowerCase()) ?? null;
}
