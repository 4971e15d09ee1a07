console.log("climahealth test asset");
