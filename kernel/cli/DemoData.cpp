#include "kernel/cli/DemoData.h"

#include <ctime>
#include <utility>
#include <vector>

#include "kernel/domain/Taxonomy.h"

namespace ruche::cli {
namespace {

const std::string kDomain = "@demo.ruche.local";

/// The calendar day `offset` days from today (UTC), YYYY-MM-DD.
std::string dayFromToday(int offset) {
  std::time_t t = std::time(nullptr) + static_cast<std::time_t>(offset) * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[11];
  std::strftime(text, sizeof text, "%Y-%m-%d", &tm);
  return text;
}

struct DemoAssociation {
  std::string slug;
  std::string name;
  std::string place;
  std::string email;
  std::string phone;
  std::string description;
  std::string charter;
};

const std::vector<DemoAssociation>& associations() {
  static const std::vector<DemoAssociation> list = {
      {"jardins-partages", "Les Jardins Partagés de la Croix-Rousse", "Lyon",
       "bonjour@jardins-croix-rousse.example.org", "04 78 00 12 34",
       "Depuis 2011, nous cultivons trois jardins partagés sur les pentes de la Croix-Rousse. Les habitants du "
       "quartier y jardinent ensemble, sans pesticides, et les récoltes sont partagées avec l'épicerie solidaire "
       "voisine. Nous organisons aussi des ateliers de compostage, des chantiers participatifs et une fête des "
       "semences chaque printemps.",
       "En rejoignant les Jardins Partagés, je m'engage à :\n"
       "- respecter les autres jardiniers, les riverains et le matériel commun ;\n"
       "- jardiner sans produits chimiques de synthèse ;\n"
       "- prévenir ma ou mon référent si je ne peux pas venir à un créneau prévu ;\n"
       "- partager les récoltes selon les règles décidées en assemblée.\n"
       "L'association s'engage à m'accueillir, me former et m'assurer pendant mes activités bénévoles."},
      {"lire-ecrire-ensemble", "Lire et Écrire Ensemble", "Lille", "contact@lire-ecrire-ensemble.example.org",
       "03 20 00 56 78",
       "Lire et Écrire Ensemble accompagne les adultes qui veulent (re)prendre confiance à l'écrit : ateliers de "
       "lecture, aide aux démarches administratives, soutien scolaire pour les enfants des familles accompagnées "
       "et cours de français pour les personnes nouvellement arrivées. Nos 12 permanences se tiennent dans les "
       "centres sociaux de la métropole lilloise.",
       "Bénévole à Lire et Écrire Ensemble, je m'engage à :\n"
       "- accueillir chaque personne sans jugement, avec patience et bienveillance ;\n"
       "- respecter la confidentialité de ce que les personnes me confient ;\n"
       "- suivre la formation d'accueil de deux heures avant mon premier atelier ;\n"
       "- tenir mes engagements de présence ou prévenir au moins 48 heures à l'avance.\n"
       "L'association s'engage à me former, à me proposer un référent et des temps d'échange entre bénévoles."},
      {"solidarite-numerique", "Solidarité Numérique Bretagne", "Rennes", "equipe@solidarite-numerique.example.org",
       "02 99 00 90 12",
       "Un Français sur six n'utilise jamais Internet. Solidarité Numérique Bretagne aide celles et ceux qui en "
       "sont éloignés : permanences d'aide aux démarches en ligne, reconditionnement d'ordinateurs donnés par les "
       "entreprises, ateliers pour les seniors et accompagnement des petites associations dans leurs outils.",
       "En tant que bénévole de Solidarité Numérique Bretagne, je m'engage à :\n"
       "- ne jamais conserver ni noter les mots de passe ou données personnelles des personnes aidées ;\n"
       "- expliquer plutôt que faire à la place, pour rendre les personnes autonomes ;\n"
       "- respecter les horaires des permanences et prévenir en cas d'absence ;\n"
       "- signaler à mon référent toute situation qui me met mal à l'aise.\n"
       "L'association s'engage à me former aux démarches courantes et à m'accompagner dans ma mission."},
  };
  return list;
}

struct DemoMission {
  int association;
  std::string title;
  std::string description;
  std::string kind;
  std::string mode;
  std::string place;
  int startOffset;  ///< days from today; -1000: no date
  int endOffset;    ///< days from today; -1000: no date
  std::string schedule;
  int duration;
  int places;
  std::string status;
  std::vector<std::string> required;
  std::vector<std::string> nice;
  std::vector<std::string> causes;
  std::vector<std::pair<std::string, bool>> languages;
};

constexpr int kNoDate = -1000;

const std::vector<DemoMission>& missions() {
  static const std::vector<DemoMission> list = {
      // Les Jardins Partagés (Lyon)
      {0,
       "Chantier participatif : construire des bacs potagers",
       "Un samedi pour construire six bacs en bois de récupération dans le jardin de la rue d'Austerlitz. Outils "
       "fournis, aucune expérience demandée, repas partagé le midi.",
       "event",
       "onsite",
       "Lyon 4e",
       9,
       9,
       "samedi 9h-17h",
       480,
       12,
       "published",
       {},
       {"handiwork"},
       {"environment"},
       {{"fr", false}}},
      {0,
       "Arrosage estival des jardins",
       "Pendant l'été, nous cherchons des bénévoles pour arroser les trois jardins, en soirée, à tour de rôle. "
       "Un planning partagé permet de choisir ses soirs.",
       "regular",
       "onsite",
       "Lyon 4e",
       14,
       75,
       "2 soirs par semaine, 19h-20h",
       60,
       10,
       "published",
       {},
       {},
       {"environment"},
       {{"fr", false}}},
      {0,
       "Animer un atelier compost pour les familles",
       "Expliquer aux familles du quartier comment composter leurs déchets de cuisine, avec le kit pédagogique de "
       "l'association. Une formation d'une heure est prévue avant l'atelier.",
       "event",
       "onsite",
       "Lyon 4e",
       16,
       16,
       "mercredi 14h-16h",
       120,
       2,
       "published",
       {},
       {"teaching"},
       {"environment", "education"},
       {{"fr", true}}},
      {0,
       "Photographier les jardins au fil des saisons",
       "Réaliser une série de photos des jardins et des jardiniers (avec leur accord) pour notre site et notre "
       "exposition de fin d'année.",
       "regular",
       "onsite",
       "Lyon 4e",
       5,
       120,
       "à votre rythme",
       120,
       1,
       "published",
       {"photography"},
       {},
       {"environment", "culture"},
       {}},
      {0,
       "Rédiger la lettre d'information du mois",
       "Écrire la lettre mensuelle (une page) à partir des nouvelles que les jardiniers nous envoient. Travail à "
       "distance, relecture par la coordinatrice.",
       "micro",
       "remote",
       "",
       kNoDate,
       kNoDate,
       "",
       90,
       1,
       "published",
       {"writing"},
       {"social-media"},
       {"environment"},
       {{"fr", true}}},
      {0,
       "Tenir le stand de la fête des semences",
       "Accueillir le public, présenter les variétés anciennes et gérer la grainothèque pendant la fête annuelle.",
       "event",
       "onsite",
       "Lyon 1er",
       30,
       30,
       "dimanche 10h-18h",
       240,
       6,
       "published",
       {},
       {"event-organisation"},
       {"environment", "culture"},
       {{"fr", false}, {"en", false}}},
      {0,
       "Traduire le guide du jardinier en anglais",
       "Notre guide de 12 pages accueille les nouveaux jardiniers ; plusieurs familles anglophones nous ont "
       "rejoints. Travail à distance.",
       "micro",
       "remote",
       "",
       kNoDate,
       kNoDate,
       "",
       300,
       1,
       "published",
       {"translation"},
       {},
       {"environment"},
       {{"en", true}, {"fr", true}}},
      {0,
       "Tenir la comptabilité de l'association",
       "Saisir les dépenses et recettes dans notre tableur, préparer le bilan pour l'assemblée générale. Environ "
       "deux heures par mois, surtout à distance.",
       "regular",
       "hybrid",
       "Lyon",
       3,
       365,
       "2 heures par mois",
       120,
       1,
       "published",
       {"accounting"},
       {},
       {"environment"},
       {{"fr", true}}},
      {0,
       "Réparer la cabane à outils",
       "La cabane du jardin Bodin a besoin d'un nouveau toit. Matériel acheté, il manque des bras et un peu de "
       "savoir-faire.",
       "event",
       "onsite",
       "Lyon 4e",
       21,
       22,
       "samedi et dimanche matin",
       360,
       4,
       "draft",
       {"handiwork"},
       {},
       {"environment"},
       {}},
      {0,
       "Récolte et distribution à l'épicerie solidaire",
       "Récolter les légumes le vendredi matin et les porter à l'épicerie solidaire de la rue Dumenge.",
       "regular",
       "onsite",
       "Lyon 4e",
       4,
       90,
       "vendredi 8h-10h",
       120,
       3,
       "published",
       {},
       {"driving"},
       {"environment", "solidarity"},
       {{"fr", false}}},
      // Lire et Écrire Ensemble (Lille)
      {1,
       "Atelier de conversation en français",
       "Animer en binôme un atelier de conversation pour des adultes nouvellement arrivés, autour de situations "
       "de la vie quotidienne : courses, santé, école.",
       "regular",
       "onsite",
       "Lille",
       7,
       180,
       "mardis 18h-20h",
       120,
       4,
       "published",
       {},
       {"teaching"},
       {"education", "refugees"},
       {{"fr", true}, {"ar", false}, {"en", false}}},
      {1,
       "Soutien scolaire pour des collégiens",
       "Aider des élèves de 6e à 3e à faire leurs devoirs, au centre social de Fives. Patience et bonne humeur "
       "demandées plus que des diplômes.",
       "regular",
       "onsite",
       "Lille",
       10,
       200,
       "mercredis 14h-16h",
       120,
       6,
       "published",
       {"teaching"},
       {},
       {"education"},
       {{"fr", true}}},
      {1,
       "Aide aux démarches administratives",
       "Accompagner les personnes dans leurs courriers et formulaires (CAF, préfecture, impôts) pendant la "
       "permanence du jeudi.",
       "regular",
       "onsite",
       "Roubaix",
       8,
       150,
       "jeudis 9h-12h",
       180,
       3,
       "published",
       {"listening"},
       {"legal"},
       {"solidarity", "education"},
       {{"fr", true}}},
      {1,
       "Lecture d'albums à la médiathèque",
       "Lire des albums jeunesse aux enfants et à leurs parents un samedi par mois, pour donner le goût des "
       "livres.",
       "regular",
       "onsite",
       "Tourcoing",
       12,
       180,
       "un samedi par mois, 10h-11h30",
       90,
       2,
       "published",
       {},
       {},
       {"education", "culture"},
       {{"fr", true}}},
      {1,
       "Relire nos fiches pédagogiques",
       "Relire une dizaine de fiches d'exercices (orthographe, clarté) avant leur impression. À distance, quand "
       "vous voulez cette semaine.",
       "micro",
       "remote",
       "",
       kNoDate,
       7,
       "",
       60,
       2,
       "published",
       {"writing"},
       {},
       {"education"},
       {{"fr", true}}},
      {1,
       "Traduire nos affiches en arabe et en dari",
       "Traduire trois affiches d'une page présentant nos ateliers, pour les familles qui ne lisent pas encore le "
       "français.",
       "micro",
       "remote",
       "",
       kNoDate,
       20,
       "",
       120,
       2,
       "published",
       {"translation"},
       {},
       {"education", "refugees"},
       {{"ar", true}}},
      {1,
       "Organiser la fête de fin d'année des apprenants",
       "Préparer avec les apprenants un après-midi festif : lectures de textes, buffet partagé, remise des "
       "attestations.",
       "event",
       "onsite",
       "Lille",
       40,
       40,
       "samedi 14h-19h",
       300,
       5,
       "published",
       {},
       {"event-organisation", "cooking"},
       {"education", "culture"},
       {{"fr", false}}},
      {1,
       "Gérer nos réseaux sociaux",
       "Publier deux fois par semaine sur nos réseaux (photos des ateliers avec accord, annonces). Environ une "
       "heure par semaine, à distance.",
       "regular",
       "remote",
       "",
       2,
       180,
       "1 heure par semaine",
       60,
       1,
       "published",
       {"social-media"},
       {"photography"},
       {"education"},
       {{"fr", true}}},
      {1,
       "Accompagner une sortie au musée",
       "Accompagner un groupe d'apprenants au Palais des Beaux-Arts et aider à la visite en français facile.",
       "event",
       "onsite",
       "Lille",
       18,
       18,
       "samedi 14h-17h",
       180,
       3,
       "published",
       {},
       {},
       {"culture", "education"},
       {{"fr", true}}},
      {1,
       "Atelier d'écriture de lettres de motivation",
       "Aider les participants à rédiger CV et lettres de motivation. Ancienne mission, pourvue.",
       "regular",
       "onsite",
       "Lille",
       kNoDate,
       kNoDate,
       "lundis 10h-12h",
       120,
       2,
       "closed",
       {"writing"},
       {},
       {"education", "solidarity"},
       {{"fr", true}}},
      // Solidarité Numérique Bretagne (Rennes)
      {2,
       "Permanence d'aide aux démarches en ligne",
       "Aider les personnes à créer leur espace France Travail, Ameli ou impôts, et à s'en servir seules "
       "ensuite.",
       "regular",
       "onsite",
       "Rennes",
       6,
       200,
       "lundis 14h-17h",
       180,
       4,
       "published",
       {},
       {"listening"},
       {"digital-inclusion", "solidarity"},
       {{"fr", true}}},
      {2,
       "Reconditionner des ordinateurs portables",
       "Nettoyer, réinstaller (Linux ou Windows) et tester les ordinateurs donnés par des entreprises, dans "
       "notre atelier.",
       "regular",
       "onsite",
       "Rennes",
       3,
       180,
       "samedis 10h-13h",
       180,
       5,
       "published",
       {},
       {"web-development"},
       {"digital-inclusion", "environment"},
       {}},
      {2,
       "Atelier « premiers pas sur la tablette » pour les seniors",
       "Animer un atelier de deux heures en résidence seniors : allumer la tablette, appels vidéo, photos.",
       "event",
       "onsite",
       "Saint-Malo",
       11,
       11,
       "vendredi 14h-16h",
       120,
       2,
       "published",
       {"teaching"},
       {},
       {"digital-inclusion"},
       {{"fr", true}}},
      {2,
       "Refaire le site web de l'association",
       "Notre site date de 2015. Nous cherchons une ou un bénévole pour le refaire simplement (site statique "
       "accessible), en lien avec l'équipe.",
       "regular",
       "remote",
       "",
       15,
       120,
       "à votre rythme",
       240,
       1,
       "published",
       {"web-development"},
       {"graphic-design"},
       {"digital-inclusion"},
       {{"fr", false}}},
      {2,
       "Créer une affiche pour la collecte d'ordinateurs",
       "Une affiche A3 et sa déclinaison pour les réseaux, pour la collecte de matériel en entreprise.",
       "micro",
       "remote",
       "",
       kNoDate,
       14,
       "",
       180,
       1,
       "published",
       {"graphic-design"},
       {},
       {"digital-inclusion"},
       {}},
      {2,
       "Livrer des ordinateurs reconditionnés",
       "Livrer les ordinateurs aux familles et associations bénéficiaires, avec le véhicule de l'association.",
       "regular",
       "onsite",
       "Ille-et-Vilaine",
       5,
       120,
       "un mercredi sur deux",
       240,
       2,
       "published",
       {"driving"},
       {},
       {"digital-inclusion", "solidarity"},
       {{"fr", false}}},
      {2,
       "Stand au forum des associations de Rennes",
       "Présenter nos actions et recueillir des dons de matériel sur notre stand, au forum de la rentrée.",
       "event",
       "onsite",
       "Rennes",
       25,
       25,
       "samedi 10h-18h",
       240,
       4,
       "published",
       {},
       {"fundraising"},
       {"digital-inclusion"},
       {{"fr", false}, {"en", false}}},
      {2,
       "Saisir l'inventaire du matériel",
       "Saisir dans notre tableur les 80 ordinateurs reçus ce mois-ci (marque, état, numéro de série).",
       "micro",
       "hybrid",
       "Rennes",
       kNoDate,
       10,
       "",
       120,
       1,
       "published",
       {"data-entry"},
       {},
       {"digital-inclusion"},
       {}},
      {2,
       "Modérer notre forum d'entraide",
       "Relire les messages du forum d'entraide entre utilisateurs et répondre aux questions simples.",
       "regular",
       "remote",
       "",
       1,
       180,
       "30 minutes par jour",
       30,
       2,
       "published",
       {"moderation"},
       {},
       {"digital-inclusion"},
       {{"fr", true}}},
      {2,
       "Atelier cybersécurité pour les petites associations",
       "Préparer et animer un atelier sur les mots de passe et les sauvegardes pour des bénévoles associatifs.",
       "event",
       "hybrid",
       "Brest",
       35,
       35,
       "mardi 18h30-20h30",
       120,
       1,
       "draft",
       {"web-development"},
       {"teaching"},
       {"digital-inclusion"},
       {{"fr", true}}},
  };
  return list;
}

struct Person {
  std::string first;
  std::string last;
  std::string emailName;  ///< ASCII, for the address
};

const std::vector<Person>& volunteers() {
  static const std::vector<Person> list = {
      {"Camille", "Martin", "camille.martin"},
      {"Léa", "Bernard", "lea.bernard"},
      {"Hugo", "Dubois", "hugo.dubois"},
      {"Chloé", "Thomas", "chloe.thomas"},
      {"Lucas", "Robert", "lucas.robert"},
      {"Manon", "Richard", "manon.richard"},
      {"Nathan", "Petit", "nathan.petit"},
      {"Emma", "Durand", "emma.durand"},
      {"Louis", "Leroy", "louis.leroy"},
      {"Inès", "Moreau", "ines.moreau"},
      {"Jules", "Simon", "jules.simon"},
      {"Jade", "Laurent", "jade.laurent"},
      {"Gabriel", "Lefebvre", "gabriel.lefebvre"},
      {"Louise", "Michel", "louise.michel"},
      {"Adam", "Garcia", "adam.garcia"},
      {"Alice", "David", "alice.david"},
      {"Raphaël", "Bertrand", "raphael.bertrand"},
      {"Lina", "Roux", "lina.roux"},
      {"Arthur", "Vincent", "arthur.vincent"},
      {"Rose", "Fournier", "rose.fournier"},
      {"Mohamed", "Morel", "mohamed.morel"},
      {"Anna", "Girard", "anna.girard"},
      {"Paul", "André", "paul.andre"},
      {"Zoé", "Mercier", "zoe.mercier"},
      {"Théo", "Blanc", "theo.blanc"},
      {"Julia", "Guérin", "julia.guerin"},
      {"Ethan", "Boyer", "ethan.boyer"},
      {"Mila", "Garnier", "mila.garnier"},
      {"Sacha", "Chevalier", "sacha.chevalier"},
      {"Ambre", "François", "ambre.francois"},
      {"Noah", "Legrand", "noah.legrand"},
      {"Lou", "Gauthier", "lou.gauthier"},
      {"Yasmine", "Perrin", "yasmine.perrin"},
      {"Tom", "Robin", "tom.robin"},
      {"Clara", "Clément", "clara.clement"},
      {"Malo", "Morin", "malo.morin"},
      {"Nina", "Nicolas", "nina.nicolas"},
      {"Maël", "Henry", "mael.henry"},
      {"Sarah", "Roussel", "sarah.roussel"},
      {"Éloi", "Mathieu", "eloi.mathieu"},
      {"Aïcha", "Diallo", "aicha.diallo"},
      {"Bastien", "Le Gall", "bastien.legall"},
      {"Juliette", "Faure", "juliette.faure"},
      {"Marius", "Rousseau", "marius.rousseau"},
      {"Léna", "Nguyen", "lena.nguyen"},
      {"Victor", "Lambert", "victor.lambert"},
      {"Romane", "Bonnet", "romane.bonnet"},
      {"Karim", "Haddad", "karim.haddad"},
      {"Agathe", "Fontaine", "agathe.fontaine"},
      {"Samuel", "Kerjean", "samuel.kerjean"},
  };
  return list;
}

// Per association: admin, then two coordinators.
const std::vector<std::vector<Person>>& staff() {
  static const std::vector<std::vector<Person>> list = {
      {{"Hélène", "Garnier", "helene.garnier"},
       {"Karim", "Benali", "karim.benali"},
       {"Lucie", "Fontaine", "lucie.fontaine"}},
      {{"Bernard", "Lefèvre", "bernard.lefevre"},
       {"Sophie", "Nguyen", "sophie.nguyen"},
       {"Yanis", "Haddad", "yanis.haddad"}},
      {{"Gwenaëlle", "Le Goff", "gwenaelle.legoff"},
       {"Thomas", "Kerjean", "thomas.kerjean"},
       {"Inès", "Morvan", "ines.morvan"}},
  };
  return list;
}

const std::vector<std::string> kTowns = {"Lyon",     "Villeurbanne", "Lille",      "Roubaix",   "Rennes",
                                         "Nantes",   "Paris",        "Marseille",  "Bordeaux",  "Toulouse",
                                         "Grenoble", "Brest",        "Saint-Malo", "Tourcoing", "Vannes"};

const std::vector<std::string> kBios = {
    "Retraitée de l'enseignement, j'ai du temps et l'envie de transmettre.",
    "Étudiant, je cherche des missions ponctuelles le week-end.",
    "Développeuse le jour, je veux mettre mes compétences au service d'associations.",
    "Parent de deux enfants, disponible en soirée pour des actions près de chez moi.",
    "Jeune actif passionné de jardinage et de cuisine.",
    "J'ai été accompagnée par une association à mon arrivée en France ; à mon tour d'aider.",
};

const std::vector<std::string> kSkills = {
    "writing",    "translation", "graphic-design", "web-development", "social-media", "accounting",
    "legal",      "teaching",    "first-aid",      "driving",         "cooking",      "event-organisation",
    "moderation", "fundraising", "listening",      "photography",     "data-entry",   "handiwork"};
const std::vector<std::string> kCauses = {"environment",       "solidarity", "education",    "health",
                                          "culture",           "sport",      "human-rights", "animals",
                                          "digital-inclusion", "refugees"};

long long insertAccount(soci::session& sql, const std::string& email, const std::string& name, const std::string& hash,
                        bool admin, long long createdAt) {
  long long id = 0;
  int adminFlag = admin ? 1 : 0;
  std::string locale = "fr";
  sql << "INSERT INTO accounts (email, password_hash, display_name, email_verified_at, federation_admin, locale, "
         "created_at) VALUES (:e, :h, :n, :v, :a, :l, :t) RETURNING id",
      soci::use(email), soci::use(hash), soci::use(name), soci::use(createdAt), soci::use(adminFlag), soci::use(locale),
      soci::use(createdAt), soci::into(id);
  return id;
}

void insertProfile(soci::session& sql, long long accountId, const std::string& bio, const std::string& place,
                   int remoteOnly, int hoursPerWeek, long long at) {
  sql << "INSERT INTO profiles (account_id, bio, place, remote_only, hours_per_week, updated_at) "
         "VALUES (:a, :b, :p, :r, :h, :t)",
      soci::use(accountId), soci::use(bio), soci::use(place), soci::use(remoteOnly), soci::use(hoursPerWeek),
      soci::use(at);
}

void insertMembership(soci::session& sql, long long accountId, long long associationId, const std::string& role,
                      long long at) {
  sql << "INSERT INTO memberships (account_id, association_id, role, created_at) VALUES (:a, :s, :r, :t)",
      soci::use(accountId), soci::use(associationId), soci::use(role), soci::use(at);
}

long long skillId(soci::session& sql, const std::string& slug) {
  auto ids = domain::skillIds(sql, {slug});
  return ids.empty() ? 0 : ids.front();
}

long long causeId(soci::session& sql, const std::string& slug) {
  auto ids = domain::causeIds(sql, {slug});
  return ids.empty() ? 0 : ids.front();
}

/// Picks `count` distinct entries of `list`, spread by `seed`.
std::vector<std::string> pick(const std::vector<std::string>& list, int seed, int count) {
  std::vector<std::string> out;
  for (int k = 0; static_cast<int>(out.size()) < count && k < static_cast<int>(list.size()); ++k) {
    const std::string& candidate = list[static_cast<std::size_t>((seed * 7 + k * 5 + k * k) % list.size())];
    bool seen = false;
    for (const auto& s : out) {
      seen = seen || s == candidate;
    }
    if (!seen) {
      out.push_back(candidate);
    }
  }
  return out;
}

void insertVolunteerDetails(soci::session& sql, long long id, int i) {
  for (const auto& slug : pick(kSkills, i, 2 + i % 2)) {
    long long skill = skillId(sql, slug);
    sql << "INSERT INTO profile_skills (account_id, skill_id) VALUES (:a, :s)", soci::use(id), soci::use(skill);
  }
  for (const auto& slug : pick(kCauses, i + 3, 1 + i % 3)) {
    long long cause = causeId(sql, slug);
    sql << "INSERT INTO profile_causes (account_id, cause_id) VALUES (:a, :c)", soci::use(id), soci::use(cause);
  }
  std::vector<std::pair<std::string, std::string>> languages = {{"fr", i % 13 == 4 ? "fluent" : "native"}};
  if (i % 3 == 0) {
    languages.emplace_back("en", "fluent");
  } else if (i % 4 == 1) {
    languages.emplace_back("en", "conversational");
  }
  if (i % 5 == 1) {
    languages.emplace_back("es", "conversational");
  }
  if (i % 7 == 2) {
    languages.emplace_back("de", "basic");
  }
  if (i % 9 == 4) {
    languages.emplace_back("ar", "native");
  }
  for (const auto& [language, level] : languages) {
    sql << "INSERT INTO profile_languages (account_id, language, level) VALUES (:a, :l, :v)", soci::use(id),
        soci::use(language), soci::use(level);
  }
  // One or two weekly slots: evenings, Saturday mornings or weekday afternoons.
  int weekday = i % 7;
  int start = (i % 3 == 0) ? 18 * 60 : (i % 3 == 1 ? 9 * 60 : 14 * 60);
  int end = start + 120 + (i % 2) * 60;
  sql << "INSERT INTO availability_slots (account_id, weekday, start_minute, end_minute) VALUES (:a, :w, :s, :e)",
      soci::use(id), soci::use(weekday), soci::use(start), soci::use(end);
  if (i % 2 == 0) {
    int saturday = 5;
    int morning = 9 * 60;
    int noon = 12 * 60;
    if (weekday != saturday) {
      sql << "INSERT INTO availability_slots (account_id, weekday, start_minute, end_minute) "
             "VALUES (:a, :w, :s, :e)",
          soci::use(id), soci::use(saturday), soci::use(morning), soci::use(noon);
    }
  }
}

long long insertMission(soci::session& sql, const DemoMission& m, long long associationId, long long referent,
                        long long at) {
  std::string startsOn = m.startOffset == kNoDate ? "" : dayFromToday(m.startOffset);
  std::string endsOn = m.endOffset == kNoDate ? "" : dayFromToday(m.endOffset);
  long long id = 0;
  sql << "INSERT INTO missions (association_id, title, description, kind, mode, place, starts_on, ends_on, "
         "schedule, duration_minutes, places_available, referent_account_id, status, created_by, created_at, "
         "updated_at) VALUES (:as, :ti, :de, :ki, :mo, :pl, :st, :en, :sc, :du, :pa, :re, :su, :cb, :ca, :ua) "
         "RETURNING id",
      soci::use(associationId), soci::use(m.title), soci::use(m.description), soci::use(m.kind), soci::use(m.mode),
      soci::use(m.place), soci::use(startsOn), soci::use(endsOn), soci::use(m.schedule), soci::use(m.duration),
      soci::use(m.places), soci::use(referent), soci::use(m.status), soci::use(referent), soci::use(at), soci::use(at),
      soci::into(id);
  auto addSkills = [&](const std::vector<std::string>& slugs, int required) {
    for (const auto& slug : slugs) {
      long long skill = skillId(sql, slug);
      sql << "INSERT INTO mission_skills (mission_id, skill_id, required) VALUES (:m, :s, :r)", soci::use(id),
          soci::use(skill), soci::use(required);
    }
  };
  addSkills(m.required, 1);
  addSkills(m.nice, 0);
  for (const auto& slug : m.causes) {
    long long cause = causeId(sql, slug);
    sql << "INSERT INTO mission_causes (mission_id, cause_id) VALUES (:m, :c)", soci::use(id), soci::use(cause);
  }
  for (const auto& [language, requiredFlag] : m.languages) {
    int required = requiredFlag ? 1 : 0;
    sql << "INSERT INTO mission_languages (mission_id, language, required) VALUES (:m, :l, :r)", soci::use(id),
        soci::use(language), soci::use(required);
  }
  return id;
}

const std::vector<std::string> kPipeline = {
    "applied", "interview_scheduled", "charter_signed", "training_done", "active", "completed"};

/// An application that went through the pipeline up to `status`, with its events and hours.
void insertApplication(soci::session& sql, long long missionId, long long associationId, long long volunteerId,
                       long long coordinatorId, const std::string& status, int daysAgo) {
  long long now = storage::nowSeconds();
  long long created = now - static_cast<long long>(daysAgo) * 86400;
  std::string motivation = "Cette mission correspond à ce que je cherche et à mes disponibilités.";
  long long id = 0;
  std::size_t reached = 0;
  for (std::size_t k = 0; k < kPipeline.size(); ++k) {
    if (kPipeline[k] == status) {
      reached = k;
    }
  }
  bool charterSigned = (status != "withdrawn" && status != "declined" && reached >= 2);
  long long signedAt = created + 3 * 86400;
  soci::indicator signedInd = charterSigned ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO applications (mission_id, account_id, status, motivation, referent_account_id, "
         "charter_signed_at, created_at, updated_at) VALUES (:m, :a, :s, :mo, :r, :c, :t, :u) RETURNING id",
      soci::use(missionId), soci::use(volunteerId), soci::use(status), soci::use(motivation), soci::use(coordinatorId),
      soci::use(signedAt, signedInd), soci::use(created), soci::use(now), soci::into(id);

  std::vector<std::string> path = {"applied"};
  if (status == "withdrawn" || status == "declined") {
    path.push_back(status);
  } else {
    for (std::size_t k = 1; k <= reached; ++k) {
      path.push_back(kPipeline[k]);
    }
  }
  for (std::size_t k = 1; k < path.size(); ++k) {
    long long at = created + static_cast<long long>(k) * 86400;
    long long actor = (path[k] == "withdrawn" || path[k] == "charter_signed") ? volunteerId : coordinatorId;
    std::string note = path[k] == "interview_scheduled" ? "Rendez-vous téléphonique fixé." : "";
    sql << "INSERT INTO application_events (application_id, from_status, to_status, actor_account_id, note, at) "
           "VALUES (:a, :f, :t, :ac, :n, :at)",
        soci::use(id), soci::use(path[k - 1]), soci::use(path[k]), soci::use(actor), soci::use(note), soci::use(at);
  }

  if (status == "active" || status == "completed") {
    int entries = status == "completed" ? 3 : 2;
    for (int k = 0; k < entries; ++k) {
      std::string day = dayFromToday(-(2 + 7 * k));
      int minutes = 90 + 30 * k;
      bool validated = status == "completed" || k > 0;
      std::string hourStatus = validated ? "validated" : "pending";
      std::string note = k == 0 ? "Très bonne séance." : "";
      soci::indicator byInd = validated ? soci::i_ok : soci::i_null;
      long long validatedAt = now - static_cast<long long>(k) * 86400;
      sql << "INSERT INTO hours (application_id, account_id, association_id, day, minutes, note, status, "
             "validated_by, validated_at, created_at) VALUES (:ap, :ac, :as, :d, :m, :n, :s, :vb, :va, :c)",
          soci::use(id), soci::use(volunteerId), soci::use(associationId), soci::use(day), soci::use(minutes),
          soci::use(note), soci::use(hourStatus), soci::use(coordinatorId, byInd), soci::use(validatedAt, byInd),
          soci::use(now);
    }
  }
}

}  // namespace

bool demoSeeded(storage::Database& db) {
  storage::Database::Session session(db);
  long long count = 0;
  *session << "SELECT COUNT(*) FROM accounts WHERE email = :e", soci::use(kDemoAdminEmail), soci::into(count);
  return count > 0;
}

void seedDemo(storage::Database& db, const std::string& hash) {
  long long now = storage::nowSeconds();
  long long monthAgo = now - 30 * 86400;
  db.transaction([&](soci::session& sql) {
    std::string federationName = "Fédération Ruche (démo)";
    std::string federationText =
        "Une fédération fictive pour découvrir Ruche : trois associations, des missions à Lyon, Lille, en "
        "Bretagne et à distance, et des bénévoles aux profils variés. Toutes les personnes sont inventées.";
    sql << "INSERT INTO federation (id, name, description, created_at) VALUES (1, :n, :d, :t) "
           "ON CONFLICT (id) DO UPDATE SET name = excluded.name, description = excluded.description",
        soci::use(federationName), soci::use(federationText), soci::use(monthAgo);

    long long adminId = insertAccount(sql, kDemoAdminEmail, "Admin de la démo", hash, true, monthAgo);
    insertProfile(sql, adminId, "", "Paris", 0, 0, monthAgo);

    std::vector<long long> associationIds;
    std::vector<std::vector<long long>> staffIds;
    for (std::size_t a = 0; a < associations().size(); ++a) {
      const auto& assoc = associations()[a];
      long long id = 0;
      std::string logo;
      sql << "INSERT INTO associations (slug, name, description, logo_url, contact_email, contact_phone, place, "
             "charter, created_at) VALUES (:s, :n, :d, :l, :e, :p, :pl, :c, :t) RETURNING id",
          soci::use(assoc.slug), soci::use(assoc.name), soci::use(assoc.description), soci::use(logo),
          soci::use(assoc.email), soci::use(assoc.phone), soci::use(assoc.place), soci::use(assoc.charter),
          soci::use(monthAgo), soci::into(id);
      associationIds.push_back(id);
      std::vector<long long> ids;
      for (std::size_t k = 0; k < staff()[a].size(); ++k) {
        const auto& person = staff()[a][k];
        long long accountId =
            insertAccount(sql, person.emailName + kDomain, person.first + " " + person.last, hash, false, monthAgo);
        insertProfile(sql, accountId, "", assoc.place, 0, 4, monthAgo);
        insertMembership(sql, accountId, id, k == 0 ? "admin" : "coordinator", monthAgo);
        ids.push_back(accountId);
      }
      staffIds.push_back(ids);
    }

    std::vector<long long> volunteerIds;
    for (std::size_t i = 0; i < volunteers().size(); ++i) {
      const auto& person = volunteers()[i];
      int n = static_cast<int>(i);
      long long created = monthAgo + n * 3600 * 11;
      long long id =
          insertAccount(sql, person.emailName + kDomain, person.first + " " + person.last, hash, false, created);
      insertProfile(sql, id, kBios[i % kBios.size()], kTowns[(i * 4 + i / 5) % kTowns.size()], n % 6 == 0 ? 1 : 0,
                    1 + n % 8, created);
      insertVolunteerDetails(sql, id, n);
      if (i < 30) {
        insertMembership(sql, id, associationIds[i % associationIds.size()], "volunteer", created);
      }
      volunteerIds.push_back(id);
    }

    std::vector<long long> missionIds;
    for (std::size_t m = 0; m < missions().size(); ++m) {
      const auto& mission = missions()[m];
      auto a = static_cast<std::size_t>(mission.association);
      long long coordinator = staffIds[a][1 + m % 2];
      missionIds.push_back(insertMission(sql, mission, associationIds[a], coordinator, monthAgo + 86400));
    }

    // A few applications at every step of the pipeline.
    const std::vector<std::pair<std::size_t, std::string>> applied = {
        {0, "applied"},         {1, "active"},         {2, "interview_scheduled"},
        {10, "completed"},      {11, "active"},        {11, "applied"},
        {12, "charter_signed"}, {13, "training_done"}, {15, "declined"},
        {20, "active"},         {21, "applied"},       {21, "withdrawn"},
        {23, "completed"},      {26, "applied"},       {27, "interview_scheduled"},
        {17, "charter_signed"},
    };
    for (std::size_t k = 0; k < applied.size(); ++k) {
      auto [m, status] = applied[k];
      auto a = static_cast<std::size_t>(missions()[m].association);
      long long coordinator = staffIds[a][1 + m % 2];
      long long volunteer = volunteerIds[(k * 3 + a) % volunteerIds.size()];
      insertApplication(sql, missionIds[m], associationIds[a], volunteer, coordinator, status,
                        25 - static_cast<int>(k));
    }
  });
}

void setDemoPasswords(storage::Database& db, const std::string& hash) {
  std::string pattern = "%" + kDomain;
  db.transaction([&](soci::session& sql) {
    sql << "UPDATE accounts SET password_hash = :h WHERE email LIKE :p", soci::use(hash), soci::use(pattern);
  });
}

DemoCounts demoCounts(storage::Database& db) {
  storage::Database::Session session(db);
  DemoCounts counts;
  *session << "SELECT COUNT(*) FROM associations", soci::into(counts.associations);
  *session << "SELECT COUNT(*) FROM missions WHERE status = 'published'", soci::into(counts.missions);
  *session << "SELECT COUNT(*) FROM accounts WHERE deleted_at IS NULL", soci::into(counts.accounts);
  return counts;
}

}  // namespace ruche::cli
